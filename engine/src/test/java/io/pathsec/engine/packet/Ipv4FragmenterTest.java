package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4FragmenterTest {
    /** NOP, Router Alert (type 148: copied), Timestamp-like option 68 (not copied), padding: 12 bytes. */
    private static final byte[] OPTIONS = Packets.bytes("01 94040000 44 05 0000 00 0000");

    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);
    private final List<ByteBuf> fragments = new ArrayList<>();
    private final Ipv4Header ip = new Ipv4Header();

    @AfterEach
    void release() {
        fragments.forEach(ByteBuf::release);
    }

    @Test
    void fragmentsReassembleToTheOriginalAtSeveralMtus() throws MalformedPacketException {
        for (int mtu : new int[]{68, 69, 576, 1280, 1400, 1500}) {
            ByteBuf packet = Packets.ipv4Udp(2972, OPTIONS, false); // 3012 bytes
            fragments.clear();
            int count = fragmenter.fragment(packet, 0, mtu, allocator, fragments);
            assertEquals(fragments.size(), count);
            assertTrue(count > 1);
            byte[] data = reassemble(packet, mtu);
            assertArrayEquals(Packets.toArray(packet, 32, 2980), data, "MTU " + mtu);
            fragments.forEach(ByteBuf::release);
            fragments.clear();
        }
    }

    @Test
    void firstFragmentKeepsAllOptionsLaterOnlyCopiedOnes() throws MalformedPacketException {
        ByteBuf packet = Packets.ipv4Udp(3000, OPTIONS, false);
        fragmenter.fragment(packet, 0, 1500, allocator, fragments);
        ip.wrap(fragments.get(0), 0).validate();
        assertEquals(32, ip.headerLength());
        assertArrayEquals(OPTIONS, Packets.toArray(fragments.get(0), 20, 12));
        ip.wrap(fragments.get(1), 0).validate();
        assertEquals(24, ip.headerLength());
        assertArrayEquals(Packets.bytes("94040000"), Packets.toArray(fragments.get(1), 20, 4));
    }

    @Test
    void splitsAnAlreadyFragmentedDatagramKeepingItsOffsetAndMoreFragments() throws MalformedPacketException {
        ByteBuf packet = Packets.ipv4Udp(1992, new byte[0], false);
        ip.wrap(packet, 0).setFragmentOffset(100).setMoreFragments(true).updateHeaderChecksum();
        fragmenter.fragment(packet, 0, 1000, allocator, fragments);
        assertEquals(3, fragments.size());
        ip.wrap(fragments.get(0), 0);
        assertEquals(100, ip.fragmentOffset());
        ip.wrap(fragments.get(2), 0);
        assertTrue(ip.moreFragments());
        assertEquals(100 + 2 * 976 / 8, ip.fragmentOffset()); // (1000 - 20) rounded down to 8
    }

    @Test
    void datagramThatFitsIsCopiedAsOne() throws MalformedPacketException {
        ByteBuf packet = Packets.ipv4Udp(100, new byte[0], true);
        assertEquals(1, fragmenter.fragment(packet, 0, 1500, allocator, fragments));
        assertArrayEquals(Packets.toArray(packet, 0, 128), Packets.toArray(fragments.get(0), 0, 128));
    }

    @Test
    void refusesDontFragmentAndTinyMtuAndMalformedInputWithoutLeaking() {
        ByteBuf df = Packets.ipv4Udp(2000, new byte[0], true);
        assertThrows(IllegalArgumentException.class, () -> fragmenter.fragment(df, 0, 1500, allocator, fragments));
        assertThrows(IllegalArgumentException.class,
                () -> fragmenter.fragment(Packets.ipv4Udp(2000, new byte[0], false), 0, 67, allocator, fragments));
        ByteBuf badOptions = Packets.ipv4Udp(2000, Packets.bytes("94 09 0000"), false);
        assertThrows(MalformedPacketException.class, () -> fragmenter.fragment(badOptions, 0, 576, allocator, fragments));
        ByteBuf truncated = Packets.ipv4Udp(2000, new byte[0], false).capacity(1000);
        assertThrows(MalformedPacketException.class, () -> fragmenter.fragment(truncated, 0, 576, allocator, fragments));
        ByteBuf beyond = Packets.ipv4Udp(2000, new byte[0], false);
        ip.wrap(beyond, 0).setFragmentOffset(0x1ff0).updateHeaderChecksum();
        assertThrows(MalformedPacketException.class, () -> fragmenter.fragment(beyond, 0, 576, allocator, fragments));
        assertTrue(fragments.isEmpty());
    }

    /** Checks each fragment's header and returns the data in offset order. */
    private byte[] reassemble(ByteBuf original, int mtu) throws MalformedPacketException {
        ip.wrap(original, 0);
        int identification = ip.identification();
        byte[] data = new byte[ip.payloadLength()];
        int expectedOffset = 0;
        for (int i = 0; i < fragments.size(); i++) {
            ByteBuf f = fragments.get(i);
            ip.wrap(f, 0).validate();
            assertTrue(ip.totalLength() <= mtu);
            assertEquals(f.readableBytes(), ip.totalLength());
            assertTrue(ip.isHeaderChecksumValid());
            assertEquals(identification, ip.identification());
            assertFalse(ip.dontFragment());
            assertEquals(i < fragments.size() - 1, ip.moreFragments());
            assertEquals(expectedOffset, ip.fragmentOffset() * 8);
            if (ip.moreFragments()) {
                assertEquals(0, ip.payloadLength() % 8);
            }
            f.getBytes(ip.payloadOffset(), data, expectedOffset, ip.payloadLength());
            expectedOffset += ip.payloadLength();
        }
        assertEquals(data.length, expectedOffset);
        return data;
    }
}
