package io.pathsec.engine.pmtu;

import io.pathsec.engine.testsupport.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.packet.Checksums;
import io.pathsec.engine.testsupport.ForgedIcmp;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

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
        // Port 500 carries only IKE (RFC 3948 §2.1): read as IKE, no probe of ours matches.
        assertRejected(icmp(1400, g1, g2, 4500, 500, SPI, 99_990), IcmpRejection.UNKNOWN_SPI);
        assertRejected(icmp(1400, g1, address("198.51.100.66"), 4500, 4500, SPI, 99_990), IcmpRejection.WRONG_ADDRESS);
        assertRejected(icmp(1400, address("198.51.100.2"), g2, 4500, 4500, SPI, 99_990), IcmpRejection.WRONG_ADDRESS);
        assertRejected(ours(68, 99_990), IcmpRejection.BELOW_FLOOR);
        assertRejected(ours(0, 99_990), IcmpRejection.NO_MTU);
        assertRejected(ours(1500, 99_990), IcmpRejection.IMPLAUSIBLE_MTU);
        // The non-ESP marker: IKE, and no probe of ours is in flight.
        assertRejected(icmp(1400, g1, g2, 4500, 4500, 0, 99_990), IcmpRejection.UNKNOWN_SPI);
        assertEquals(11, pmtud.stats().rejectedTotal());
        assertEquals(2, pmtud.stats().rejected(IcmpRejection.STALE_SEQUENCE));
        assertEquals(3, pmtud.stats().rejected(IcmpRejection.UNKNOWN_SPI));
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

    // ---- ICMP about our DPLPMTUD probes (IKE INFORMATIONAL requests) ------------------------------

    private static final long SPI_I = 0x1122334455667788L;
    private static final long SPI_R = 0x99aabbccddeeff00L;
    private static final int PROBE_ID = 7;
    private static final int PROBE_SIZE = 1500;

    /** A directory that also lists its SAs, as the data path's does. */
    private record Listing(List<Sa> sas) implements PmtuSaView.Directory {
        @Override
        public PmtuSaView outboundBySpi(int spi) {
            return null;
        }

        @Override
        public List<Sa> outboundSas() {
            return sas;
        }
    }

    /** ICMPv4 Fragmentation Needed quoting IPv4 + UDP + (marker) + an IKE header of a request. */
    private static ByteBuf ikeIcmp(int mtu, InetAddress src, InetAddress dst, int srcPort, int dstPort,
                                   boolean marker, long spiI, long spiR, int messageId, int totalLength) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(3).writeByte(4).writeShort(0).writeShort(0).writeShort(mtu);
        int ip = b.writerIndex();
        b.writeByte(0x45).writeByte(0).writeShort(totalLength).writeShort(0x1234).writeShort(0x4000)
                .writeByte(64).writeByte(17).writeShort(0).writeBytes(src.getAddress()).writeBytes(dst.getAddress());
        Checksums.updateIpv4HeaderChecksum(b, ip);
        b.writeShort(srcPort).writeShort(dstPort).writeShort(totalLength - 20).writeShort(0);
        if (marker) {
            b.writeInt(0);
        }
        // RFC 7296 §3.1: SPIs, next payload SK (46), version 2.0, INFORMATIONAL (37), Initiator flag, message ID
        b.writeLong(spiI).writeLong(spiR).writeByte(46).writeByte(0x20).writeByte(37).writeByte(0x08)
                .writeInt(messageId).writeInt(totalLength - 28 - (marker ? 4 : 0));
        b.writeZero(64); // as much more of the probe as the router quoted
        b.setShort(2, Checksums.internetChecksum(b, 0, b.writerIndex()));
        return b;
    }

    private ByteBuf probeIcmp(int mtu) {
        return ikeIcmp(mtu, g1, g2, 4500, 4500, true, SPI_I, SPI_R, PROBE_ID, PROBE_SIZE);
    }

    /** The SA's prober has a probe in flight on port 4500 (or 500); returns what its tooBig heard. */
    private List<Integer> probeInFlight(boolean natTraversal) {
        List<Integer> reported = new ArrayList<>();
        int port = natTraversal ? 4500 : 500;
        sa.pmtu().probeSent(new InFlightProbe(new ProbeQuote(SPI_I, SPI_R, PROBE_ID, new InetSocketAddress(g2, port),
                port, natTraversal), PROBE_SIZE, reported::add));
        return reported;
    }

    @Test
    void aPacketTooBigQuotingOurProbeConcludesItWithTheReportedMtu() {
        ClassicPmtud classic = new ClassicPmtud(new IcmpPmtuValidator(new Listing(List.of(sa)), 1024));
        List<Integer> reported = probeInFlight(true);
        IcmpVerdict v = classic.handle(probeIcmp(1400), false);
        assertTrue(v.isAccepted(), String.valueOf(v));
        assertEquals(List.of(1400), reported, "handed to the prober, which concludes the probe");
        assertEquals(1500, sa.pmtu().plpmtu(), "the prober, not the validator, decides what it means");
        assertEquals(1, classic.stats().accepted());
    }

    @Test
    void aPacketTooBigQuotingAProbeOnPort500IsAcceptedToo() {
        ClassicPmtud classic = new ClassicPmtud(new IcmpPmtuValidator(new Listing(List.of(sa)), 1024));
        List<Integer> reported = probeInFlight(false);
        IcmpVerdict v = classic.handle(ikeIcmp(1400, g1, g2, 500, 500, false, SPI_I, SPI_R, PROBE_ID, PROBE_SIZE),
                false);
        assertTrue(v.isAccepted(), String.valueOf(v));
        assertEquals(List.of(1400), reported);
    }

    @Test
    void forgedOrStalePacketTooBigAboutProbesIsRejectedAndCounted() {
        ClassicPmtud classic = new ClassicPmtud(new IcmpPmtuValidator(new Listing(List.of(sa)), 1024));
        List<Integer> reported = probeInFlight(true);
        assertEquals(IcmpRejection.NOT_A_PROBE, classic.handle(ikeIcmp(1400, g1, g2, 4500, 4500, true, SPI_I, SPI_R,
                PROBE_ID - 1, PROBE_SIZE), false).rejection(), "an earlier message ID");
        assertEquals(IcmpRejection.NOT_A_PROBE, classic.handle(ikeIcmp(1400, g1, g2, 4500, 4500, true, SPI_I, SPI_R,
                PROBE_ID, 1480), false).rejection(), "not the probe's size");
        assertEquals(IcmpRejection.UNKNOWN_SPI, classic.handle(ikeIcmp(1400, g1, g2, 4500, 4500, true, SPI_I + 1,
                SPI_R, PROBE_ID, PROBE_SIZE), false).rejection(), "made-up SPIs");
        assertEquals(IcmpRejection.WRONG_ADDRESS, classic.handle(ikeIcmp(1400, g1, address("198.51.100.66"), 4500,
                4500, true, SPI_I, SPI_R, PROBE_ID, PROBE_SIZE), false).rejection());
        assertEquals(IcmpRejection.WRONG_ADDRESS, classic.handle(ikeIcmp(1400, address("198.51.100.2"), g2, 4500,
                4500, true, SPI_I, SPI_R, PROBE_ID, PROBE_SIZE), false).rejection());
        assertEquals(IcmpRejection.WRONG_PORT, classic.handle(ikeIcmp(1400, g1, g2, 4501, 4500, true, SPI_I, SPI_R,
                PROBE_ID, PROBE_SIZE), false).rejection());
        assertEquals(IcmpRejection.WRONG_PORT, classic.handle(ikeIcmp(1400, g1, g2, 4500, 500, false, SPI_I, SPI_R,
                PROBE_ID, PROBE_SIZE), false).rejection(), "the probe went to 4500 behind the marker");
        assertEquals(IcmpRejection.BELOW_FLOOR, classic.handle(probeIcmp(68), false).rejection());
        assertEquals(IcmpRejection.IMPLAUSIBLE_MTU, classic.handle(probeIcmp(1500), false).rejection());
        ByteBuf truncated = probeIcmp(1400).capacity(8 + 20 + 8 + 4 + 20);
        truncated.setShort(2, 0);
        truncated.setShort(2, Checksums.internetChecksum(truncated, 0, truncated.readableBytes()));
        assertEquals(IcmpRejection.TRUNCATED_QUOTE, classic.handle(truncated, false).rejection(), "no message ID");
        assertEquals(10, classic.stats().rejectedTotal());
        assertTrue(reported.isEmpty(), "no forgery reached the prober");

        sa.pmtu().probeSettled();
        assertEquals(IcmpRejection.UNKNOWN_SPI, classic.handle(probeIcmp(1400), false).rejection(),
                "once the probe is settled, the genuine quote is stale");
        assertTrue(reported.isEmpty());
        assertEquals(1500, sa.pmtu().plpmtu());
    }

    private void assertRejected(ByteBuf message, IcmpRejection expected) {
        IcmpVerdict v = pmtud.handle(message, false);
        assertEquals(expected, v.rejection(), String.valueOf(v));
    }
}
