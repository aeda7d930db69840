package io.pathsec.engine.gateway;

import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.icmp.IcmpLogging;
import io.pathsec.engine.icmp.IcmpSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway profile's ICMP handling ({@code icmp}) and narrow traffic selectors ({@code trafficSelectors}). */
class GatewayProfileIcmpTest {
    private static final String BASE = """
            "listen": "198.51.100.130", "localId": "gw.pathsec.test", "psk": "secret-0123456789",
             "pool": "10.201.0.0/24", "protectedSubnets": ["203.0.113.0/24"]""";

    @Test
    void theIcmpObjectSetsTheOptionTablesLoggingAndQueue() {
        IcmpSettings s = IkeGatewayService.icmpSettings("{" + BASE + """
                , "icmp": {"handling": "ike-relay", "unprotectedSide": "4/3/4=reject, *=accept",
                           "protectedSide": "4/3=accept, *=reject", "logging": "none", "probeOnDiscard": false,
                           "queueLimit": 4}}""");
        assertEquals(IcmpHandling.RELAY_IKE, s.handling());
        assertFalse(s.unprotectedSide().accepts(4, 3, 4));
        assertTrue(s.unprotectedSide().accepts(4, 11, 0));
        assertFalse(s.protectedSide().accepts(4, 11, 0));
        assertEquals(IcmpLogging.Mode.NONE, s.logging().mode());
        assertFalse(s.probeOnDiscard());
        assertEquals(4, s.queueLimit());
    }

    @Test
    void withoutTheObjectTheDefaultsApply() {
        IcmpSettings s = IkeGatewayService.icmpSettings("{" + BASE + "}");
        assertEquals(IcmpSettings.defaults().handling(), s.handling());
        assertEquals(16, s.queueLimit());
    }

    @Test
    void aWrongIcmpMemberIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IkeGatewayService.icmpSettings("{" + BASE + ", \"icmp\": {\"handling\": \"sometimes\"}}"));
        assertTrue(e.getMessage().startsWith("icmp: handling 'sometimes'"), e.getMessage());
        IllegalArgumentException q = assertThrows(IllegalArgumentException.class,
                () -> IkeGatewayService.icmpSettings("{" + BASE + ", \"icmp\": {\"queueLimit\": 0}}"));
        assertTrue(q.getMessage().contains("queueLimit must be 1-1024"), q.getMessage());
    }

    @Test
    void narrowTrafficSelectorsMustLieInAProtectedSubnet() {
        IkeGatewayProfile p = IkeGatewayService.parse("{" + BASE
                + ", \"trafficSelectors\": [\"203.0.113.0/24 tcp 5201\", \"203.0.113.0/24 udp 5001\"]}");
        assertEquals(List.of("203.0.113.0/24 tcp 5201", "203.0.113.0/24 udp 5001"), p.trafficSelectors());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> IkeGatewayService.parse(
                "{" + BASE + ", \"trafficSelectors\": [\"192.0.2.0/24 tcp 5201\"]}"));
        assertTrue(outside.getMessage().contains("outside every protected subnet"), outside.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> IkeGatewayService.parse(
                "{" + BASE + ", \"trafficSelectors\": [\"203.0.113.0/24 tcp 99999\"]}"));
        assertTrue(bad.getMessage().startsWith("traffic selector '203.0.113.0/24 tcp 99999'"), bad.getMessage());
    }
}
