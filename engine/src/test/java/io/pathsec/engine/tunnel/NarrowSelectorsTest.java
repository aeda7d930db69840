package io.pathsec.engine.tunnel;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.ike.session.ChildSa;
import io.pathsec.engine.ike.session.EspProposal;
import io.pathsec.engine.packet.FlowKey;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.Selector;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A profile's narrow traffic selectors as text, and the SPD selectors a CHILD_SA with narrowed TS
 * gets: exactly the negotiated protocol and ports, in both directions (RFC 4301 §4.4.1.1, §5.2).
 */
class NarrowSelectorsTest {
    private static final byte[] VIP = addr("10.201.0.1");
    private static final byte[] E2 = addr("10.2.0.2");

    private static byte[] addr(String a) {
        return AddressRange.parseAddress(a).getAddress();
    }

    @Test
    void textNamesPrefixProtocolAndPorts() {
        TrafficSelector t = TrafficSelectorText.parse(" 10.2.0.0/24  tcp 5201 ");
        assertEquals(6, t.ipProtocol());
        assertEquals(5201, t.startPort());
        assertEquals(5201, t.endPort());
        assertEquals("10.2.0.0", t.startAddress().getHostAddress());
        assertEquals("10.2.0.255", t.endAddress().getHostAddress());
        TrafficSelector u = TrafficSelectorText.parse("2001:db8:2::/64 udp 5000-5010");
        assertEquals(17, u.ipProtocol());
        assertEquals(5000, u.startPort());
        assertEquals(5010, u.endPort());
        TrafficSelector any = TrafficSelectorText.parse("10.2.0.0/24");
        assertEquals(0, any.ipProtocol());
        assertEquals(65535, any.endPort());
        assertEquals(1, TrafficSelectorText.parse("10.2.0.0/24 icmp").ipProtocol());
    }

    @Test
    void badTextIsRefusedInWords() {
        for (String bad : List.of("", "10.2.0.0/24 tcp 5201 extra", "10.2.0.0/33 tcp", "10.2.0.0/24 tpc 1",
                "10.2.0.0/24 icmp 5", "10.2.0.0/24 udp 70000", "10.2.0.0/24 udp opaque")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrafficSelectorText.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("traffic selector"), e.getMessage());
        }
    }

    @Test
    void aNarrowedChildSaCarriesOnlyItsProtocolsAndPortsBothWays() {
        ChildSa child = new ChildSa(1000, 2000, new EspProposal.Chosen(EspTransform.AES_GCM_16_256, false),
                new byte[36], new byte[36], List.of(TrafficSelectorText.parse("10.201.0.1/32")),
                List.of(TrafficSelectorText.parse("10.2.0.0/24 tcp 5201"),
                        TrafficSelectorText.parse("10.2.0.0/24 udp 5001")));
        List<Selector> selectors = IkeTunnel.selectors(child);
        assertEquals(2, selectors.size(), selectors::toString);
        assertTrue(outbound(selectors, 6, 40000, 5201), "TCP to 5201");
        assertTrue(outbound(selectors, 17, 40000, 5001), "UDP to 5001");
        assertFalse(outbound(selectors, 17, 40000, 5201), "UDP to 5201 was not negotiated");
        assertFalse(outbound(selectors, 6, 40000, 5202), "TCP to 5202 was not negotiated");
        assertFalse(outbound(selectors, 1, 0, 0), "ICMP was not negotiated");
        assertTrue(inbound(selectors, 6, 5201, 40000), "the answer from TCP 5201");
        assertFalse(inbound(selectors, 6, 5202, 40000), "inbound TCP from 5202 fails the §5.2 check");
        assertFalse(inbound(selectors, 17, 5002, 40000), "inbound UDP from 5002 fails the §5.2 check");
    }

    @Test
    void selectorsNamingDifferentProtocolsOnEachSideMakeNoSpdEntry() {
        ChildSa child = new ChildSa(1000, 2000, new EspProposal.Chosen(EspTransform.AES_GCM_16_256, false),
                new byte[36], new byte[36], List.of(TrafficSelectorText.parse("10.201.0.1/32 udp")),
                List.of(TrafficSelectorText.parse("10.2.0.0/24 tcp 5201"),
                        TrafficSelectorText.parse("10.2.0.0/24 udp 5001")));
        List<Selector> selectors = IkeTunnel.selectors(child);
        assertEquals(1, selectors.size(), selectors::toString);
        assertEquals(17, selectors.get(0).protocol());
    }

    private static boolean outbound(List<Selector> selectors, int protocol, int sport, int dport) {
        FlowKey k = new FlowKey().set(4, VIP, E2, protocol, sport, dport, 0, 0);
        return selectors.stream().anyMatch(s -> s.matchesOutbound(k));
    }

    private static boolean inbound(List<Selector> selectors, int protocol, int sport, int dport) {
        FlowKey k = new FlowKey().set(4, E2, VIP, protocol, sport, dport, 0, 0);
        return selectors.stream().anyMatch(s -> s.matchesInbound(k));
    }
}
