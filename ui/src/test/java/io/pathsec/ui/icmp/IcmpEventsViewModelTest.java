package io.pathsec.ui.icmp;

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
        assertEquals(3, IcmpOutcome.TABLE.size());
        for (IcmpOutcome row : IcmpOutcome.TABLE) {
            for (IcmpOption o : IcmpOption.values()) {
                assertTrue(row.under(o) != null && !row.under(o).isBlank(), row.error() + " / " + o);
            }
        }
        assertTrue(IcmpOutcome.TABLE.get(0).under(IcmpOption.DISCARD).contains("times out"));
        assertTrue(IcmpOutcome.TABLE.get(0).under(IcmpOption.IMPLICIT).contains("ECONNREFUSED"));
    }
}
