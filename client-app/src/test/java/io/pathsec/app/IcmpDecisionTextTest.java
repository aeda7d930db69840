package io.pathsec.app;

import io.pathsec.engine.control.api.IcmpDecision;
import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.IcmpOrigin;
import io.pathsec.engine.control.api.IcmpOutcome;
import io.pathsec.engine.control.api.IcmpQuotedFlow;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pathsec events} prints an icmp.decision as one readable line, not JSON. */
class IcmpDecisionTextTest {
    private static final IcmpQuotedFlow FLOW = new IcmpQuotedFlow("udp", "10.201.0.1", 40000, "203.0.113.2", 5001);

    @Test
    void aForwardedErrorSaysWhatFromWhereAboutWhichFlowTheOptionAndTheSa() {
        IcmpDecision d = new IcmpDecision("office", 0, IcmpOrigin.END_NODE, "203.0.113.2", 4, 3, 3,
                "destination-unreachable/port-unreachable", FLOW, IcmpHandling.IMPLICIT, IcmpOutcome.FORWARDED,
                "gw 0x1234abcd", null, "ignored");
        assertEquals("destination-unreachable/port-unreachable (3/3) from 203.0.113.2 (end node) about udp "
                + "10.201.0.1:40000 -> 203.0.113.2:5001: implicit, forwarded on SA gw 0x1234abcd",
                IcmpDecisionText.line(d));
    }

    @Test
    void aDropSaysWhyAndATypeRuleIsNamedWhenNoOptionDecided() {
        IcmpDecision relay = new IcmpDecision("office", 0, IcmpOrigin.INSIDE_ROUTER, "10.2.0.1", 6, 2, 0,
                "packet-too-big", null, IcmpHandling.RELAY_IKE, IcmpOutcome.DROPPED, null, "peer-lacks-vendor-id", "");
        assertEquals("packet-too-big (v6 2/0) from 10.2.0.1 (inside router) about an unreadable quote: ike-relay,"
                + " dropped because peer-lacks-vendor-id", IcmpDecisionText.line(relay));
        IcmpDecision rule = new IcmpDecision("office", 0, IcmpOrigin.OUTER_PATH, "198.51.100.9", 4, 5, 1,
                "redirect/host", FLOW, null, IcmpOutcome.DROPPED, null, "type-rejected", "");
        assertTrue(IcmpDecisionText.line(rule).endsWith("(outer path) about udp 10.201.0.1:40000 -> "
                + "203.0.113.2:5001: type/code rule, dropped because type-rejected"), IcmpDecisionText.line(rule));
    }

    @Test
    void eventsCommandUsesTheLineInsteadOfJson() {
        IcmpDecision d = new IcmpDecision("office", 0, IcmpOrigin.END_NODE, "203.0.113.2", 4, 3, 3,
                "destination-unreachable/port-unreachable", FLOW, IcmpHandling.DISCARD, IcmpOutcome.DROPPED, null,
                "discard-option", "");
        String line = EventsCommand.human(d);
        assertTrue(line.contains(" office icmp.decision destination-unreachable/port-unreachable (3/3) from"), line);
        assertFalse(line.contains("{"), line);
    }
}
