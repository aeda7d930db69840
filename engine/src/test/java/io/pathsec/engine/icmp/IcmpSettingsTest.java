package io.pathsec.engine.icmp;

import io.pathsec.engine.control.api.IcmpHandling;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IcmpSettingsTest {
    @Test
    void defaultTablesAcceptTheErrorsFlowsNeedAndRejectRedirectsAndQuench() {
        IcmpTypeRules t = IcmpTypeRules.DEFAULT;
        assertTrue(t.accepts(4, 3, 4));
        assertTrue(t.accepts(4, 11, 0));
        assertTrue(t.accepts(6, 2, 0));
        assertFalse(t.accepts(4, 5, 1));
        assertFalse(t.accepts(4, 4, 0));
        assertFalse(t.accepts(6, 137, 0));
    }

    @Test
    void firstMatchWinsAndTheStarSetsTheDefault() {
        IcmpTypeRules t = IcmpTypeRules.parse("4/3/3=reject, 4/3=accept, *=accept");
        assertFalse(t.accepts(4, 3, 3));
        assertTrue(t.accepts(4, 3, 1));
        assertTrue(t.accepts(6, 1, 0));
        assertEquals("4/3/3=reject, 4/3=accept, *=accept", t.toString());
    }

    @Test
    void badTablesNameTheEntry() {
        assertEquals("'4/x': not a number in version[/type[/code]]",
                assertThrows(IllegalArgumentException.class, () -> IcmpTypeRules.parse("4/x=accept")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IcmpTypeRules.parse("4/3=maybe"))
                .getMessage().contains("accept or reject"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IcmpTypeRules.parse("5/3=accept"))
                .getMessage().contains("4 or 6"));
    }

    @Test
    void propertiesOverrideTheDefaultsAndBothNamesOfTheRelayAreRead() {
        Properties p = new Properties();
        p.setProperty("pathsec.icmp.handling", "relay-ike");
        p.setProperty("pathsec.icmp.logging", "4/3/4, 6/2");
        p.setProperty("pathsec.icmp.queueLimit", "4");
        IcmpSettings s = IcmpSettings.fromProperties(p);
        assertEquals(IcmpHandling.RELAY_IKE, s.handling());
        assertTrue(s.logging().logs(4, 3, 4));
        assertFalse(s.logging().logs(4, 3, 3));
        assertEquals(4, s.queueLimit());
        p.setProperty("pathsec.icmp.handling", "ike-relay");
        assertEquals(IcmpHandling.RELAY_IKE, IcmpSettings.fromProperties(p).handling());
        p.setProperty("pathsec.icmp.handling", "shout");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IcmpSettings.fromProperties(p))
                .getMessage().contains("expected discard, explicit-sa, implicit or ike-relay"));
        assertEquals(IcmpLogging.NONE, IcmpLogging.parse("none"));
    }
}
