package io.pathsec.engine.pmtu;

import io.pathsec.engine.testsupport.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.packet.Checksums;
import io.pathsec.engine.testsupport.ForgedIcmp;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outer ICMP validation: exactly our packets are accepted; forgeries change nothing and are counted. */
class IcmpPmtuValidatorTest {
    private static final int SPI = 0x0c0ffee0;
    private final ManualClock clock = new ManualClock();
    private final InetAddress g1 = address("198.51.100.1");
    private final InetAddress g2 = address("198.51.100.130");
    private final Sa sa = new Sa(new InetSocketAddress(g1, 4500), new InetSocketAddress(g2, 4500), 100_000,
            new PmtuState("g1", PmtuSettings.defaults(), false, PmtuStateTest.aesGcm256(false, true), clock));
    private final ClassicPmtud pmtud = new ClassicPmtud(new IcmpPmtuValidator(spi -> spi == SPI ? sa : null, 1024));

    record Sa(InetSocketAddress localEndpoint, InetSocketAddress remoteEndpoint, long lastSequenceNumber,
              PmtuState pmtu) implements PmtuSaView {
        @Override
        public boolean udpEncapsulation() {
            return true;
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private ByteBuf icmp(int mtu, InetAddress src, InetAddress dst, int srcPort, int dstPort, int spi, long seq) {
        return Unpooled.wrappedBuffer(ForgedIcmp.message(mtu, src, dst, srcPort, dstPort, spi, seq));
    }

    private ByteBuf ours(int mtu, long seq) {
        return icmp(mtu, g1, g2, 4500, 4500, SPI, seq);
    }

    @Test
    void acceptsOurRecentPacketAndLowersThePlpmtu() {
        IcmpVerdict v = pmtud.handle(ours(1400, 99_990), false);
        assertTrue(v.isAccepted(), String.valueOf(v));
        assertSame(sa, v.sa());
        assertEquals(1400, v.mtu());
        assertEquals(1400, sa.pmtu().plpmtu());
        assertEquals(1, pmtud.stats().accepted());
        assertEquals(0, pmtud.stats().rejectedTotal());
    }

    @Test
    void acceptsTheWholeWindowAndNothingBeyondIt() {
        IcmpPmtuValidator v = new IcmpPmtuValidator(spi -> sa, 1024);
        assertTrue(v.recentlySent(100_000, 100_000));
        assertTrue(v.recentlySent(100_000, 100_000 - 1023));
        assertFalse(v.recentlySent(100_000, 100_000 - 1024), "stale");
        assertFalse(v.recentlySent(100_000, 100_001), "not sent yet");
        assertFalse(v.recentlySent(0, 0), "nothing sent at all");
        assertTrue(v.recentlySent(0x1_0000_0005L, 0xFFFF_FFFEL), "the low 32 bits wrap with ESN");
    }

    @Test
    void rejectsForgeriesAndChangesNothing() {
        assertRejected(icmp(1400, g1, g2, 4500, 4500, 0xdeadbeef, 99_990), IcmpRejection.UNKNOWN_SPI);
        assertRejected(ours(1400, 5), IcmpRejection.STALE_SEQUENCE);
        assertRejected(ours(1400, 100_001), IcmpRejection.STALE_SEQUENCE);
        assertRejected(icmp(1400, g1, g2, 4501, 4500, SPI, 99_990), IcmpRejection.WRONG_PORT);
        assertRejected(icmp(1400, g1, g2, 4500, 500, SPI, 99_990), IcmpRejection.WRONG_PORT);
        assertRejected(icmp(1400, g1, address("198.51.100.66"), 4500, 4500, SPI, 99_990), IcmpRejection.WRONG_ADDRESS);
        assertRejected(icmp(1400, address("198.51.100.2"), g2, 4500, 4500, SPI, 99_990), IcmpRejection.WRONG_ADDRESS);
        assertRejected(ours(68, 99_990), IcmpRejection.BELOW_FLOOR);
        assertRejected(ours(0, 99_990), IcmpRejection.NO_MTU);
        assertRejected(ours(1500, 99_990), IcmpRejection.IMPLAUSIBLE_MTU);
        assertRejected(icmp(1400, g1, g2, 4500, 4500, 0, 99_990), IcmpRejection.NOT_ESP);
        assertEquals(11, pmtud.stats().rejectedTotal());
        assertEquals(2, pmtud.stats().rejected(IcmpRejection.STALE_SEQUENCE));
        assertEquals(0, pmtud.stats().accepted());
        assertEquals(1500, sa.pmtu().plpmtu(), "no forgery moved the PLPMTU");
        assertNull(sa.pmtu().last(PmtuSource.CLASSIC_ICMP));
    }

    @Test
    void rejectsBadChecksumsAndShortQuotes() {
        ByteBuf corrupt = ours(1400, 99_990);
        corrupt.setByte(20, corrupt.getByte(20) ^ 1);
        assertRejected(corrupt, IcmpRejection.MALFORMED);
        ByteBuf shortQuote = ours(1400, 99_990).capacity(8 + 20 + 8); // RFC 792's minimum: no SPI
        shortQuote.setShort(2, 0);
        shortQuote.setShort(2, Checksums.internetChecksum(shortQuote, 0, shortQuote.readableBytes()));
        assertRejected(shortQuote, IcmpRejection.TRUNCATED_QUOTE);
    }

    @Test
    void ignoresOtherIcmpWithoutCounting() {
        ByteBuf portUnreachable = ours(1400, 99_990);
        portUnreachable.setByte(1, 3);
        assertNull(pmtud.handle(portUnreachable, false));
        assertEquals(0, pmtud.stats().rejectedTotal());
    }

    @Test
    void acceptsIcmpv6PacketTooBigForAnIpv6Sa() throws Exception {
        InetAddress a = InetAddress.getByName("2001:db8:1::1");
        InetAddress b = InetAddress.getByName("2001:db8:3::2");
        Sa v6 = new Sa(new InetSocketAddress(a, 4500), new InetSocketAddress(b, 4500), 50,
                new PmtuState("v6", PmtuSettings.defaults(), true, PmtuStateTest.aesGcm256(true, true), clock));
        ClassicPmtud six = new ClassicPmtud(new IcmpPmtuValidator(spi -> spi == SPI ? v6 : null, 1024));
        ByteBuf m = Unpooled.buffer();
        m.writeByte(2).writeByte(0).writeShort(0).writeInt(1400);
        m.writeInt(0x60000000).writeShort(1460).writeByte(17).writeByte(64).writeBytes(a.getAddress()).writeBytes(b.getAddress());
        m.writeShort(4500).writeShort(4500).writeShort(1460).writeShort(0).writeInt(SPI).writeInt(49);
        IcmpVerdict verdict = six.handle(m, true);
        assertTrue(verdict.isAccepted(), String.valueOf(verdict));
        assertEquals(1400, v6.pmtu().plpmtu());
        ByteBuf tooLow = m.copy();
        tooLow.setInt(4, 1000);
        assertEquals(IcmpRejection.BELOW_FLOOR, six.handle(tooLow, true).rejection(), "IPv6 floor 1280");
    }

    private void assertRejected(ByteBuf message, IcmpRejection expected) {
        IcmpVerdict v = pmtud.handle(message, false);
        assertEquals(expected, v.rejection(), String.valueOf(v));
    }
}
