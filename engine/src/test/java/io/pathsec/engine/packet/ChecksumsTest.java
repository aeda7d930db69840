package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.pathsec.engine.packet.Packets.buf;
import static io.pathsec.engine.packet.Packets.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChecksumsTest {

    @Test
    void rfc1071NumericalExample() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to 0xddf2 (after the carry).
        ByteBuf data = buf("0001 f203 f4f5 f6f7");
        assertEquals(0xddf2, Checksums.fold(Checksums.partialSum(data, 0, 8, 0)));
        assertEquals(0x220d, Checksums.internetChecksum(data, 0, 8));
    }

    @Test
    void oddLengthPadsTheLastByteAsHighOrder() {
        // RFC 1071 §1: the odd byte is the high half of a word whose low half is zero.
        assertEquals(~0xab00 & 0xffff, Checksums.internetChecksum(buf("ab"), 0, 1));
        assertEquals(~(0x0102 + 0x0300) & 0xffff, Checksums.internetChecksum(buf("010203"), 0, 3));
    }

    @Test
    void matchesWordByWordReferenceAtEveryOffsetAndLength() {
        Random random = new Random(1071);
        byte[] data = new byte[300];
        random.nextBytes(data);
        ByteBuf direct = Unpooled.directBuffer(data.length).writeBytes(data);
        ByteBuf heap = Unpooled.wrappedBuffer(data);
        for (int from = 0; from < 12; from++) {
            for (int length = 0; length <= data.length - from; length++) {
                int expected = Packets.referenceChecksum(data, from, length);
                assertEquals(expected, Checksums.internetChecksum(heap, from, length), from + "+" + length);
                assertEquals(expected, Checksums.internetChecksum(direct, from, length), from + "+" + length);
            }
        }
        direct.release();
    }

    @Test
    void allOnesDataSumsWithoutOverflowOnMaximumLength() {
        byte[] data = new byte[65535];
        java.util.Arrays.fill(data, (byte) 0xff);
        assertEquals(Packets.referenceChecksum(data, 0, data.length),
                Checksums.internetChecksum(Unpooled.wrappedBuffer(data), 0, data.length));
    }

    @Test
    void ipv4HeaderChecksumOfCapturedSyn() {
        ByteBuf syn = buf(Packets.IPV4_TCP_SYN);
        assertTrue(Checksums.verifyIpv4Header(syn, 0));
        assertEquals(Packets.IPV4_TCP_SYN_IP_CHECKSUM, Checksums.ipv4HeaderChecksum(syn, 0));
        syn.setShort(Ipv4Header.CHECKSUM_OFFSET, 0);
        Checksums.updateIpv4HeaderChecksum(syn, 0);
        assertEquals(Packets.IPV4_TCP_SYN_IP_CHECKSUM, syn.getUnsignedShort(Ipv4Header.CHECKSUM_OFFSET));
    }

    @Test
    void ipv4HeaderChecksumTextbookExample() {
        // The example header used by many references: 192.168.0.1 > 192.168.0.199, UDP, checksum 0xb861.
        ByteBuf header = buf("4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7");
        assertEquals(0xb861, Checksums.ipv4HeaderChecksum(header, 0));
        assertFalse(Checksums.verifyIpv4Header(header, 0));
    }

    @Test
    void tcpChecksumOverIpv4AndIpv6PseudoHeaders() {
        ByteBuf v4 = buf(Packets.IPV4_TCP_SYN);
        assertTrue(Checksums.verifyTransport(v4, 0, 20, 40, IpProtocol.TCP));
        v4.setShort(20 + TcpHeader.CHECKSUM_OFFSET, 0xdead);
        Checksums.updateTransportChecksum(v4, 0, 20, 40, IpProtocol.TCP);
        assertEquals(Packets.IPV4_TCP_SYN_TCP_CHECKSUM, v4.getUnsignedShort(20 + TcpHeader.CHECKSUM_OFFSET));

        ByteBuf v6 = buf(Packets.IPV6_TCP_SYN);
        assertTrue(Checksums.verifyTransport(v6, 0, 40, 40, IpProtocol.TCP));
        v6.setShort(40 + TcpHeader.CHECKSUM_OFFSET, 0);
        Checksums.updateTransportChecksum(v6, 0, 40, 40, IpProtocol.TCP);
        assertEquals(Packets.IPV6_TCP_SYN_TCP_CHECKSUM, v6.getUnsignedShort(40 + TcpHeader.CHECKSUM_OFFSET));
    }

    @Test
    void icmpv6ChecksumOfCapturedEcho() {
        ByteBuf echo = buf(Packets.IPV6_ICMPV6_ECHO);
        assertTrue(Checksums.verifyTransport(echo, 0, 40, 24, IpProtocol.ICMPV6));
        Checksums.updateTransportChecksum(echo, 0, 40, 24, IpProtocol.ICMPV6);
        assertEquals(Packets.IPV6_ICMPV6_ECHO_CHECKSUM, echo.getUnsignedShort(42));
        echo.setByte(60, echo.getByte(60) ^ 1);
        assertFalse(Checksums.verifyTransport(echo, 0, 40, 24, IpProtocol.ICMPV6));
    }

    @Test
    void udpZeroChecksumMeansNoneOverIpv4OnlyAndComputedZeroIsSentAsOnes() {
        ByteBuf v4 = Packets.ipv4Udp(10, new byte[0], false);
        v4.setShort(20 + UdpHeader.CHECKSUM_OFFSET, 0);
        assertTrue(Checksums.verifyTransport(v4, 0, 20, 18, IpProtocol.UDP));
        ByteBuf v6 = Packets.ipv6Udp(10);
        v6.setShort(40 + UdpHeader.CHECKSUM_OFFSET, 0);
        assertFalse(Checksums.verifyTransport(v6, 0, 40, 18, IpProtocol.UDP));

        // Choose two data bytes so that the computed checksum is exactly zero.
        ByteBuf udp = Packets.ipv4Udp(2, new byte[0], false);
        udp.setShort(28, 0);
        udp.setShort(20 + UdpHeader.CHECKSUM_OFFSET, 0);
        int rest = Checksums.transportChecksum(udp, 0, 20, 10, IpProtocol.UDP);
        udp.setShort(28, rest == 0 ? 0xffff : rest); // the data word completes the sum to all ones
        Checksums.updateTransportChecksum(udp, 0, 20, 10, IpProtocol.UDP);
        assertEquals(0xffff, udp.getUnsignedShort(20 + UdpHeader.CHECKSUM_OFFSET));
        assertTrue(Checksums.verifyTransport(udp, 0, 20, 10, IpProtocol.UDP));
    }

    @Test
    void rfc1624ExampleAvoidsNegativeZero() {
        // RFC 1624 §4: HC = 0xdd2f, m = 0x5555 -> m' = 0x3285 gives 0x0000 with eqn. 3.
        assertEquals(0x0000, Checksums.incrementalUpdate(0xdd2f, 0x5555, 0x3285));
    }

    @Test
    void incrementalUpdateEqualsRecomputationForEveryAlignedWord() {
        Random random = new Random(1624);
        byte[] data = new byte[64];
        for (int trial = 0; trial < 2000; trial++) {
            random.nextBytes(data);
            ByteBuf buf = Unpooled.wrappedBuffer(data);
            int checksum = Checksums.internetChecksum(buf, 0, data.length);
            int index = random.nextInt(32) * 2;
            int oldWord = buf.getUnsignedShort(index);
            int newWord = trial % 10 == 0 ? 0 : random.nextInt(0x10000);
            buf.setShort(index, newWord);
            int updated = Checksums.incrementalUpdate(checksum, oldWord, newWord);
            // Equal as one's complement numbers: both verify, and equal unless the sum is zero.
            int recomputed = Checksums.internetChecksum(buf, 0, data.length);
            assertEquals(recomputed == 0xffff ? 0 : recomputed, updated == 0xffff ? 0 : updated);
        }
    }

    @Test
    void incrementalUpdateOf32BitAddress() {
        ByteBuf syn = buf(Packets.IPV4_TCP_SYN);
        int oldAddress = syn.getInt(Ipv4Header.SOURCE_OFFSET);
        int newAddress = 0xc0a80a01;
        syn.setInt(Ipv4Header.SOURCE_OFFSET, newAddress);
        syn.setShort(Ipv4Header.CHECKSUM_OFFSET,
                Checksums.incrementalUpdate32(Packets.IPV4_TCP_SYN_IP_CHECKSUM, oldAddress, newAddress));
        assertTrue(Checksums.verifyIpv4Header(syn, 0));
        // The TCP pseudo-header includes the address too.
        syn.setShort(36, Checksums.incrementalUpdate32(syn.getUnsignedShort(36), oldAddress, newAddress));
        assertTrue(Checksums.verifyTransport(syn, 0, 20, 40, IpProtocol.TCP));
    }

    @Test
    void sumsAtAnOffsetInsideALargerBuffer() {
        byte[] packet = bytes(Packets.IPV6_ICMPV6_ECHO);
        ByteBuf buf = Packets.withHeadroom(packet, 13);
        assertTrue(Checksums.verifyTransport(buf, 13, 53, 24, IpProtocol.ICMPV6));
    }
}
