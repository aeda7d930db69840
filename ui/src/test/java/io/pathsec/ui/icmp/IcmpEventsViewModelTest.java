package io.pathsec.ui.icmp;

import io.pathsec.engine.control.api.IcmpDecision;
import io.pathsec.engine.control.api.IcmpOrigin;
import io.pathsec.engine.control.api.IcmpOutcome;
import io.pathsec.engine.control.api.PmtuBlackHole;
import io.pathsec.engine.control.api.PmtuSampled;
import io.pathsec.ui.state.TunnelStateStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IcmpEventsViewModelTest {
    private final TunnelStateStore store = new TunnelStateStore();
    private final IcmpEventsViewModel model = new IcmpEventsViewModel(store);

    @Test
    void aValidatedFragNeededFromThePathIsARowAndOtherSamplesAreNot() {
        store.selectedProfileProperty().set("office");
        model.accept(new PmtuSampled("office", 1000, "0x00001000", "office-out", "CLASSIC_ICMP", 1400, 1338, 1438));
        model.accept(new PmtuSampled("office", 2000, "0x00001000", "office-out", "DPLPMTUD", 1392, 1330, 1338));
        model.accept(new PmtuBlackHole("office", 3000, "0x00001000", "office-out", 1338, 1400, 1280, 1218, "…"));
        assertEquals(1, model.rows().size(), "probes and black holes are no ICMP errors");
        IcmpEventRow r = model.rows().get(0);
        assertEquals("outer path (a router between G1 and G2)", r.from());
        assertEquals("fragmentation needed / packet too big, MTU 1400", r.message());
        assertEquals("ESP of SA 0x00001000", r.quotedFlow());
        assertEquals("accepted: path MTU 1400, inner MTU 1438 → 1338", r.decision());
    }

    @Test
    void anIcmpDecisionSaysWhereFromWhatItQuotedAndWhatWasDone() {
        store.selectedProfileProperty().set("office");
        model.accept(IcmpDecisions.portUnreachable("office", 5, IcmpOrigin.END_NODE, IcmpOutcome.FORWARDED, "office-out 0xc4402f19",
                null));
        model.accept(new IcmpDecision("office", 6, IcmpOrigin.OUTER_PATH, "198.51.100.9", 4, 3, 3,
                "destination-unreachable/port-unreachable", null, null, IcmpOutcome.DROPPED, null, "type-rejected", "x"));
        IcmpEventRow dropped = model.rows().get(0);
        assertEquals("outer path (R1, R2, or a forger) 198.51.100.9", dropped.from());
        assertEquals("(quote unreadable)", dropped.quotedFlow());
        assertEquals("dropped (type-rejected)", dropped.decision(), "no option decided: a §6.1 rule did");
        IcmpEventRow forwarded = model.rows().get(1);
        assertEquals("end node on the protected side 10.2.0.10", forwarded.from());
        assertEquals("ICMPv4 3/3 destination-unreachable / port-unreachable", forwarded.message());
        assertEquals("udp 10.1.0.10:40000 -> 10.2.0.10:5001", forwarded.quotedFlow());
        assertEquals("forwarded on SA office-out 0xc4402f19, option Implicit", forwarded.decision());
    }

    @Test
    void newestFirstPerProfileAndBounded() {
        store.selectedProfileProperty().set("office");
        for (int i = 0; i < IcmpEventsViewModel.MAX_ROWS + 20; i++) {
            model.accept(new PmtuSampled("office", i, "0x00001000", "office-out", "CLASSIC_ICMP", 1400 - i % 10,
                    1338, 1438));
        }
        model.accept(new PmtuSampled("home", 1, "0x00002000", "home-out", "CLASSIC_ICMP", 1300, 1238, 1438));
        assertEquals(IcmpEventsViewModel.MAX_ROWS, model.rows().size());
        assertEquals(IcmpEventsViewModel.MAX_ROWS + 19, model.rows().get(0).at(), "the newest on top");
        assertTrue(model.rows().stream().allMatch(r -> r.profile().equals("office")));
        store.selectedProfileProperty().set("home");
        assertEquals(1, model.rows().size());
        assertEquals("home", model.rows().get(0).profile());
    }

    @Test
    void theOutcomeTableHasAnAnswerForEveryOptionAndError() {
        assertEquals(3, OptionOutcome.TABLE.size());
        for (OptionOutcome row : OptionOutcome.TABLE) {
            for (IcmpOption o : IcmpOption.values()) {
                assertTrue(row.under(o) != null && !row.under(o).isBlank(), row.error() + " / " + o);
            }
        }
        assertTrue(OptionOutcome.TABLE.get(0).under(IcmpOption.DISCARD).contains("times out"));
        assertTrue(OptionOutcome.TABLE.get(0).under(IcmpOption.IMPLICIT).contains("ECONNREFUSED"));
    }
}
