package io.pathsec.engine.icmp;

import io.netty.buffer.ByteBuf;
import io.pathsec.engine.control.api.IcmpDecision;
import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.IcmpOrigin;
import io.pathsec.engine.control.api.IcmpOutcome;
import io.pathsec.engine.control.api.IcmpQuotedFlow;
import io.pathsec.engine.packet.FlowKey;
import io.pathsec.engine.packet.IcmpError;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.policy.PortRange;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.policy.Selector;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.pathsec.engine.icmp.IcmpPackets.error;
import static io.pathsec.engine.icmp.IcmpPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decision point with narrow selectors (only TCP 5201 and UDP 5001 between E1's 10.1.0.0/24
 * and E2's 10.2.0.0/24), seen from G2 (errors from E2's side crossing) and from G1 (errors
 * arriving through the tunnel).
 */
class TunnelIcmpTest {
    static final String E1 = "10.1.0.10";
    static final String E2 = "10.2.0.10";
    static final String INSIDE_ROUTER = "10.2.0.1";

    /** Selectors written from the side whose local network is {@code local}. */
    static List<Selector> narrow(String local, String remote) {
        Selector s = Selector.between(AddressRange.parse(local), AddressRange.parse(remote));
        return List.of(s.withProtocol(6, PortRange.ANY, new PortRange(5201, 5201)),
                s.withProtocol(6, new PortRange(5201, 5201), PortRange.ANY),
                s.withProtocol(17, PortRange.ANY, new PortRange(5001, 5001)),
                s.withProtocol(17, new PortRange(5001, 5001), PortRange.ANY));
    }

    static SecurityAssociation sa(String name, Direction d, int spi, List<Selector> selectors) {
        return SecurityAssociation.builder().name(name).spi(spi).direction(d).transform("aes256gcm16")
                .key(new byte[36]).mode(IpsecMode.TUNNEL).localEndpoint(new InetSocketAddress("192.0.2.1", 4500))
                .remoteEndpoint(new InetSocketAddress("192.0.2.2", 4500)).udpEncapsulation(true)
                .selectors(selectors).build();
    }

    final SecurityAssociation g2Out = sa("g2", Direction.OUTBOUND, 0x2001, narrow("10.2.0.0/24", "10.1.0.0/24"));
    final SecurityAssociation g1In = sa("g1", Direction.INBOUND, 0x2001, narrow("10.1.0.0/24", "10.2.0.0/24"));
    final List<IcmpDecision> events = new ArrayList<>();
    final List<Integer> probes = new ArrayList<>();

    TunnelIcmp g2(IcmpHandling option) {
        IcmpSaLookup spd = flow -> g2Out.allowsOutbound(flow) ? g2Out : null;
        return new TunnelIcmp(IcmpSettings.defaults().withHandling(option), spd,
                new IcmpDecisionLog("office", IcmpLogging.ALL, events::add, Clock.systemUTC()),
                (sa, mtu) -> probes.add(mtu));
    }

    static FlowKey key(ByteBuf packet) {
        FlowKey k = new FlowKey();
        assertTrue(k.parse(packet));
        return k;
    }

    @Test
    void implicitForwardsAPortUnreachableFromE2OnTheSaOfTheQuotedFlow() {
        ByteBuf icmp = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5001, 10));
        IcmpRoute route = g2(IcmpHandling.IMPLICIT).crossing(icmp, key(icmp));
        assertSame(g2Out, route.sa());
        IcmpDecision d = events.get(0);
        assertEquals(IcmpOrigin.END_NODE, d.origin());
        assertEquals(IcmpOutcome.FORWARDED, d.outcome());
        assertEquals("g2 0x00002001", d.sa());
        assertEquals("destination-unreachable/port-unreachable", d.icmpName());
        assertEquals(new IcmpQuotedFlow("udp", E1, 40000, E2, 5001), d.quotedFlow());
        assertEquals(IcmpHandling.IMPLICIT, d.option());
    }

    @Test
    void discardDropsCountsAndAsksForAProbeOnFragNeededFromAnInsideRouter() {
        TunnelIcmp icmp = g2(IcmpHandling.DISCARD);
        ByteBuf fragNeeded = error(IcmpError.PACKET_TOO_BIG, INSIDE_ROUTER, ipv4(6, E1, 40000, E2, 5201, 1400));
        IcmpRoute route = icmp.crossing(fragNeeded, key(fragNeeded));
        assertNull(route.sa());
        assertEquals(DropReason.ICMP_NOT_CARRIED, route.drop());
        assertEquals(List.of(1300), probes);
        IcmpDecision d = events.get(0);
        assertEquals(IcmpOrigin.INSIDE_ROUTER, d.origin());
        assertEquals("discard-option", d.reason());
        assertEquals(4, d.icmpCode());
        ByteBuf unreachable = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5001, 10));
        icmp.crossing(unreachable, key(unreachable));
        assertEquals(List.of(1300), probes, "only a dropped Frag Needed asks for a probe");
        assertEquals(2L, icmp.decisions().counts().get("dropped:discard-option"));
    }

    @Test
    void anErrorQuotingAFlowThatNeverCrossedIsRejectedUnderEveryOption() {
        for (IcmpHandling option : IcmpHandling.values()) {
            events.clear();
            // UDP 5999 is outside the selectors: no SA ever carried such a packet.
            ByteBuf forged = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5999, 10));
            IcmpRoute route = g2(option).crossing(forged, key(forged));
            assertEquals(DropReason.ICMP_REJECTED, route.drop(), option.name());
            assertEquals("no-sa-for-quoted-flow", events.get(0).reason(), option.name());
        }
    }

    @Test
    void theProtectedSideTableRejectsRedirectsWhateverTheOption() {
        // A Redirect quoting a flow the SA carries: type 5 is rejected by the default table.
        ByteBuf redirect = error(IcmpError.PORT_UNREACHABLE, INSIDE_ROUTER, ipv4(17, E1, 40000, E2, 5001, 10));
        int icmpAt = 20;
        redirect.setByte(icmpAt, 5);
        redirect.setByte(icmpAt + 1, 1);
        IcmpRoute route = g2(IcmpHandling.IMPLICIT).crossing(redirect, key(redirect));
        assertEquals(DropReason.ICMP_REJECTED, route.drop());
        assertEquals("type-rejected", events.get(0).reason());
        assertNull(events.get(0).option(), "the table decided before any option");
    }

    @Test
    void explicitAndRelayWithoutACarrierDropAndSaySo() {
        ByteBuf icmp = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5001, 10));
        assertEquals(DropReason.ICMP_NOT_CARRIED, g2(IcmpHandling.RELAY_IKE).crossing(icmp, key(icmp)).drop());
        assertEquals("peer-lacks-vendor-id", events.get(0).reason());
        assertEquals(DropReason.ICMP_NOT_CARRIED, g2(IcmpHandling.EXPLICIT_SA).crossing(icmp, key(icmp)).drop());
        assertEquals("icmp-sa-failed", events.get(1).reason());
    }

    @Test
    void aCarrierThatQueuesLeavesNothingToCountOnTheDataPath() {
        TunnelIcmp icmp = g2(IcmpHandling.EXPLICIT_SA);
        List<byte[]> carried = new ArrayList<>();
        icmp.explicitSa((packet, m, sa) -> {
            carried.add(packet);
            return new IcmpCarrier.Result(IcmpOutcome.QUEUED, null, null, "queued until the ICMP SA is up");
        });
        ByteBuf msg = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5001, 10));
        IcmpRoute route = icmp.crossing(msg, key(msg));
        assertNull(route.sa());
        assertNull(route.drop());
        assertEquals(msg.readableBytes(), carried.get(0).length);
        assertEquals(IcmpOutcome.QUEUED, events.get(0).outcome());
    }

    @Test
    void nonErrorsAreLeftToTheSpd() {
        ByteBuf udp = ipv4(17, E2, 1, E1, 2, 4);
        assertEquals(DropReason.POLICY_DISCARD, g2(IcmpHandling.IMPLICIT).crossing(udp, key(udp)).drop());
        assertTrue(events.isEmpty());
    }

    @Test
    void theReceiverDeliversOnlyWhenTheReversedQuoteFitsTheSaItArrivedOn() {
        TunnelIcmp g1 = new TunnelIcmp(IcmpSettings.defaults().withHandling(IcmpHandling.IMPLICIT), f -> null,
                new IcmpDecisionLog("office", IcmpLogging.ALL, events::add, Clock.systemUTC()), (sa, mtu) -> { });
        ByteBuf good = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5001, 10));
        assertNull(g1.inbound(good, key(good), g1In));
        assertEquals(IcmpOutcome.DELIVERED, events.get(0).outcome());
        assertEquals(IcmpOrigin.PEER_GATEWAY, events.get(0).origin());

        ByteBuf bad = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5999, 10));
        assertEquals(DropReason.ICMP_REJECTED, g1.inbound(bad, key(bad), g1In));
        assertEquals("selector-mismatch", events.get(1).reason());

        // Addressed to someone other than the quoted packet's sender: refused too.
        ByteBuf elsewhere = error(IcmpError.TIME_EXCEEDED_IN_TRANSIT, INSIDE_ROUTER, ipv4(17, E1, 40000, E2, 5001, 10));
        elsewhere.setBytes(16, IcmpPackets.addr("10.1.0.99"));
        assertEquals(DropReason.ICMP_REJECTED, g1.inbound(elsewhere, key(elsewhere), g1In));

        ByteBuf plain = ipv4(17, E2, 1, E1, 2, 4);
        assertEquals(DropReason.SELECTOR_MISMATCH, g1.inbound(plain, key(plain), g1In));
    }

    @Test
    void truncatedErrorsAreCountedAsMalformed() {
        ByteBuf icmp = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5001, 10));
        ByteBuf cut = icmp.slice(0, 20 + 8 + 10); // the quote ends inside its IPv4 header
        cut.setShort(2, cut.readableBytes());
        TunnelIcmp t = g2(IcmpHandling.IMPLICIT);
        assertEquals(DropReason.ICMP_REJECTED, t.crossing(cut, key(cut)).drop());
        assertEquals(1L, t.decisions().counts().get("dropped:malformed"));
    }

    @Test
    void loggingSelectedTypesOnlyPublishesThoseButCountsAll() {
        IcmpDecisionLog log = new IcmpDecisionLog("office", IcmpLogging.parse("4/3/4"), events::add, Clock.systemUTC());
        TunnelIcmp t = new TunnelIcmp(IcmpSettings.defaults(), f -> g2Out.allowsOutbound(f) ? g2Out : null, log,
                (sa, mtu) -> { });
        ByteBuf unreachable = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5001, 10));
        ByteBuf fragNeeded = error(IcmpError.PACKET_TOO_BIG, INSIDE_ROUTER, ipv4(6, E1, 40000, E2, 5201, 1400));
        t.crossing(unreachable, key(unreachable));
        t.crossing(fragNeeded, key(fragNeeded));
        assertEquals(1, events.size());
        assertEquals(4, events.get(0).icmpCode());
        assertEquals(2L, log.counts().get("dropped:discard-option"));
    }
}
