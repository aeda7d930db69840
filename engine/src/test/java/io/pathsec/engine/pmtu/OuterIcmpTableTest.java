package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.control.api.IcmpDecision;
import io.pathsec.engine.control.api.IcmpOrigin;
import io.pathsec.engine.control.api.IcmpOutcome;
import io.pathsec.engine.icmp.IcmpDecisionLog;
import io.pathsec.engine.icmp.IcmpLogging;
import io.pathsec.engine.icmp.IcmpSettings;
import io.pathsec.engine.icmp.IcmpTypeRules;
import io.pathsec.engine.icmp.TunnelIcmp;
import io.pathsec.engine.testsupport.ForgedIcmp;
import io.pathsec.engine.testsupport.ManualClock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 4301 §6.1.1 at the outer ICMP receiver: classic PMTUD uses an unauthenticated Frag Needed
 * only when the profile's unprotected-side table accepts its type/code, and every one becomes an
 * icmp.decision from the outer path (used for an SA, rejected by the table, or not our packet).
 */
class OuterIcmpTableTest {
    private static final int SPI = 0x0c0ffee0;
    private final InetAddress g1 = address("198.51.100.1");
    private final InetAddress g2 = address("198.51.100.130");
    private final byte[] r1 = address("198.51.100.254").getAddress();
    private final IcmpPmtuValidatorTest.Sa sa = new IcmpPmtuValidatorTest.Sa(new InetSocketAddress(g1, 4500),
            new InetSocketAddress(g2, 4500), 100_000, new PmtuState("g1", PmtuSettings.defaults(), false,
            PmtuStateTest.aesGcm256(false, true), new ManualClock()));
    private final List<IcmpDecision> events = new ArrayList<>();

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private ClassicPmtud pmtud(String unprotectedSide) {
        IcmpSettings defaults = IcmpSettings.defaults();
        IcmpSettings settings = new IcmpSettings(defaults.handling(), IcmpTypeRules.parse(unprotectedSide),
                defaults.protectedSide(), defaults.logging(), defaults.probeOnDiscard(), defaults.queueLimit());
        TunnelIcmp icmp = new TunnelIcmp(settings, flow -> null,
                new IcmpDecisionLog("office", IcmpLogging.ALL, events::add, Clock.systemUTC()), (s, mtu) -> { });
        ClassicPmtud p = new ClassicPmtud(new IcmpPmtuValidator(spi -> spi == SPI ? sa : null, 1024));
        p.check(icmp.unprotectedSide());
        return p;
    }

    private ByteBuf fragNeeded(int spi) {
        return Unpooled.wrappedBuffer(ForgedIcmp.message(1400, g1, g2, 4500, 4500, spi, 99_990));
    }

    @Test
    void aTableThatRejectsFragNeededKeepsTheSaUnchangedAndSaysSo() {
        ClassicPmtud p = pmtud("4/3/4=reject, *=accept");
        int before = sa.pmtu().plpmtu();
        IcmpVerdict v = p.handle(fragNeeded(SPI), false, r1);
        assertFalse(v.isAccepted());
        assertEquals(IcmpRejection.TYPE_REJECTED, v.rejection());
        assertEquals(before, sa.pmtu().plpmtu(), "nothing changed");
        assertEquals(1, p.stats().rejected(IcmpRejection.TYPE_REJECTED));
        IcmpDecision d = events.get(0);
        assertEquals(IcmpOrigin.OUTER_PATH, d.origin());
        assertEquals(IcmpOutcome.DROPPED, d.outcome());
        assertEquals("type-rejected", d.reason());
        assertEquals("198.51.100.254", d.originAddress());
        assertEquals("udp", d.quotedFlow().protocol());
        assertEquals("198.51.100.1", d.quotedFlow().source());
    }

    @Test
    void theDefaultTableLetsAValidatedFragNeededLowerTheSaAndRecordsIt() {
        ClassicPmtud p = pmtud("4/3=accept, *=reject");
        IcmpVerdict v = p.handle(fragNeeded(SPI), false, r1);
        assertTrue(v.isAccepted(), String.valueOf(v));
        assertEquals(1400, sa.pmtu().plpmtu());
        assertEquals(IcmpOutcome.DELIVERED, events.get(0).outcome());
        assertEquals("g1", events.get(0).sa());
        // Accepted by the table but not ours: validation still rejects it, recorded as unverified.
        IcmpVerdict forged = p.handle(fragNeeded(0xdeadbeef), false, r1);
        assertEquals(IcmpRejection.UNKNOWN_SPI, forged.rejection());
        assertEquals("unverified", events.get(1).reason());
    }

    @Test
    void errorsAboutOtherTrafficOfTheHostAreNoDecisionOfTheTunnel() {
        ClassicPmtud p = pmtud("4/3/4=reject, *=accept");
        // A Frag Needed quoting TCP (the host's own inner Frag Needed, seen by the raw socket too).
        ByteBuf tcp = Unpooled.wrappedBuffer(ForgedIcmp.message(1400, g1, g2, 4500, 4500, SPI, 99_990));
        tcp.setByte(8 + 9, 6);
        p.handle(tcp, false, r1);
        assertTrue(events.isEmpty(), () -> "no decision: " + events);
    }
}
