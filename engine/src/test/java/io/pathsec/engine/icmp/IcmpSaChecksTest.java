package io.pathsec.engine.icmp;

import io.netty.buffer.ByteBuf;
import io.pathsec.engine.control.api.IcmpDecision;
import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.IcmpOutcome;
import io.pathsec.engine.packet.IcmpError;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.policy.PortRange;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.policy.Selector;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.pathsec.engine.icmp.IcmpPackets.error;
import static io.pathsec.engine.icmp.IcmpPackets.ipv4;
import static io.pathsec.engine.icmp.TunnelIcmpTest.E1;
import static io.pathsec.engine.icmp.TunnelIcmpTest.E2;
import static io.pathsec.engine.icmp.TunnelIcmpTest.INSIDE_ROUTER;
import static io.pathsec.engine.icmp.TunnelIcmpTest.key;
import static io.pathsec.engine.icmp.TunnelIcmpTest.narrow;
import static io.pathsec.engine.icmp.TunnelIcmpTest.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ICMP errors on the explicit ICMP SA (draft §5): its selectors admit any ICMP between the data
 * SAs' addresses, so each error is also checked against the data SA its quote belongs to — at
 * the sending gateway (the quote reversed is a flow of a data SA) and at the receiving one
 * (RFC 4301 §6.2: the quote is a flow of a data SA with the same peer).
 */
class IcmpSaChecksTest {
    private static final Selector ICMP_BETWEEN = Selector.between(AddressRange.parse("10.2.0.0/24"),
            AddressRange.parse("10.1.0.0/24")).withProtocol(1, PortRange.ANY, PortRange.ANY);

    private final SecurityAssociation g2Data = sa("g2", Direction.OUTBOUND, 0x2001, narrow("10.2.0.0/24", "10.1.0.0/24"));
    private final SecurityAssociation g2Icmp = sa("g2-icmp", Direction.OUTBOUND, 0x3001, List.of(ICMP_BETWEEN));
    private final SecurityAssociation g1Data = sa("g1", Direction.OUTBOUND, 0x4001, narrow("10.1.0.0/24", "10.2.0.0/24"));
    private final SecurityAssociation g1IcmpIn = sa("g1-icmp", Direction.INBOUND, 0x5001, List.of(ICMP_BETWEEN.mirror()));
    private final List<IcmpDecision> events = new ArrayList<>();

    private TunnelIcmp gateway(SecurityAssociation data) {
        IcmpSaLookup spd = flow -> data.allowsOutbound(flow) ? data : g2Icmp.allowsOutbound(flow) ? g2Icmp : null;
        return new TunnelIcmp(IcmpSettings.defaults().withHandling(IcmpHandling.EXPLICIT_SA), spd,
                new IcmpDecisionLog("office", IcmpLogging.ALL, events::add, Clock.systemUTC()), (sa, mtu) -> { });
    }

    @Test
    void onlyDataSasSelectorsMakeAnIcmpSa() {
        assertTrue(TunnelIcmp.carriesOnlyIcmp(g2Icmp));
        assertFalse(TunnelIcmp.carriesOnlyIcmp(g2Data));
    }

    @Test
    void theSendingGatewayForwardsOnTheIcmpSaOnlyErrorsAboutADataSasFlow() {
        TunnelIcmp g2 = gateway(g2Data);
        ByteBuf real = error(IcmpError.PACKET_TOO_BIG, INSIDE_ROUTER, ipv4(6, E1, 40000, E2, 5201, 1400));
        assertNull(g2.onIcmpSaOutbound(real, key(real), g2Icmp));
        assertEquals(IcmpOutcome.FORWARDED, events.get(0).outcome());
        assertEquals("g2-icmp 0x00003001", events.get(0).sa());
        ByteBuf forged = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5999, 10));
        assertEquals(DropReason.ICMP_REJECTED, g2.onIcmpSaOutbound(forged, key(forged), g2Icmp));
        assertEquals("no-sa-for-quoted-flow", events.get(1).reason());
        assertEquals(1L, g2.decisions().counts().get("dropped:no-sa-for-quoted-flow"));
    }

    @Test
    void theReceivingGatewayDeliversFromTheIcmpSaOnlyErrorsQuotingAFlowOfADataSa() {
        TunnelIcmp g1 = gateway(g1Data);
        // E2's Port Unreachable about E1's UDP to 5001 (carried by the data SA): delivered.
        ByteBuf real = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5001, 10));
        assertNull(g1.onIcmpSaInbound(real, key(real), g1IcmpIn));
        assertEquals(IcmpOutcome.DELIVERED, events.get(0).outcome());
        // A quoted flow outside every data SA (UDP 5999) fits the ICMP SA's own selectors, yet is dropped.
        ByteBuf outside = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5999, 10));
        assertTrue(g1IcmpIn.allowsInbound(key(outside)), "the ICMP SA's own selectors admit it");
        assertEquals(DropReason.ICMP_REJECTED, g1.onIcmpSaInbound(outside, key(outside), g1IcmpIn));
        assertEquals("selector-mismatch", events.get(1).reason());
        // Addressed to someone other than the quoted sender: dropped too.
        ByteBuf misaddressed = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, "10.1.0.99", 40000, E2, 5001, 10));
        misaddressed.setBytes(misaddressed.readerIndex() + 16, IcmpPackets.addr(E1));
        assertEquals(DropReason.ICMP_REJECTED, g1.onIcmpSaInbound(misaddressed, key(misaddressed), g1IcmpIn));
        assertEquals(2L, g1.decisions().counts().get("dropped:selector-mismatch"));
    }

    @Test
    void aDataSaOfAnotherPeerDoesNotVouchForAnErrorOnThisIcmpSa() {
        SecurityAssociation otherPeer = SecurityAssociation.builder().name("other").spi(0x6001)
                .direction(Direction.OUTBOUND).transform("aes256gcm16").key(new byte[36])
                .mode(io.pathsec.engine.policy.IpsecMode.TUNNEL)
                .localEndpoint(new java.net.InetSocketAddress("192.0.2.1", 4500))
                .remoteEndpoint(new java.net.InetSocketAddress("192.0.2.77", 4500)).udpEncapsulation(true)
                .selectors(narrow("10.1.0.0/24", "10.2.0.0/24")).build();
        TunnelIcmp g1 = gateway(otherPeer);
        ByteBuf real = error(IcmpError.PORT_UNREACHABLE, E2, ipv4(17, E1, 40000, E2, 5001, 10));
        assertEquals(DropReason.ICMP_REJECTED, g1.onIcmpSaInbound(real, key(real), g1IcmpIn));
    }

    @Test
    void nonErrorsOnTheIcmpSaAreLeftToItsSelectors() {
        TunnelIcmp g1 = gateway(g1Data);
        ByteBuf echo = io.netty.buffer.Unpooled.buffer(28);
        echo.writeByte(0x45).writeByte(0).writeShort(28).writeInt(0).writeByte(64).writeByte(1).writeShort(0)
                .writeBytes(IcmpPackets.addr(E2)).writeBytes(IcmpPackets.addr(E1)).writeByte(8).writeByte(0)
                .writeShort(0).writeInt(1);
        assertNull(g1.onIcmpSaInbound(echo, key(echo), g1IcmpIn));
        assertTrue(events.isEmpty());
    }
}
