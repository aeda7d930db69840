package io.pathsec.ui.pmtu;

import io.pathsec.engine.control.api.LogLine;
import io.pathsec.engine.control.api.PmtuBlackHole;
import io.pathsec.engine.control.api.PmtuSampled;
import io.pathsec.ui.state.TunnelStateStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PmtuViewModelTest {
    private final TunnelStateStore store = new TunnelStateStore();
    private final PmtuViewModel model = new PmtuViewModel(store);

    @Test
    void withoutSamplesTheViewSaysSo() {
        store.selectedProfileProperty().set("office");
        model.accept(new LogLine("office", 1, "INFO", "x", "not a pmtu event"));
        assertFalse(model.hasDataBinding().get());
        assertTrue(model.latestProperty().get().startsWith("No PMTU data yet"));
    }

    @Test
    void theDaemonsEventsBecomePoints() {
        assertEquals(new PmtuSample("office", 5, "0x00001000", 1400, 1338, "DPLPMTUD", false, null),
                PmtuEvents.sample(new PmtuSampled("office", 5, "0x00001000", "g1-out", "DPLPMTUD", 1400, 1338, 1438))
                        .orElseThrow());
        PmtuSample hole = PmtuEvents.sample(new PmtuBlackHole("office", 6, "0x00001000", "g1-out", 1438, 1500, 1280,
                1218, "packets of 1438 bytes vanish; now using PLPMTU 1280")).orElseThrow();
        assertEquals(1280, hole.mtu());
        assertTrue(hole.blackHole());
        assertTrue(PmtuEvents.sample(new LogLine(null, 1, "INFO", "x", "y")).isEmpty());
    }

    @Test
    void samplesOfTheSelectedProfileAreChartedAndABlackHoleRaisesTheBanner() {
        store.selectedProfileProperty().set("office");
        model.accept(new PmtuSampled("office", 1000, "0x1000", "g1-out", "CLASSIC_ICMP", 1500, 1438, 1438));
        model.accept(new PmtuSampled("lab", 1000, "0x3000", "lab-out", "CLASSIC_ICMP", 1280, 1218, 1438));
        assertEquals(1, model.samples().size());
        assertNull(model.bannerProperty().get());
        model.accept(new PmtuBlackHole("office", 2000, "0x1000", "g1-out", 1438, 1500, 1280, 1218,
                "packets of 1438 bytes vanish between 192.0.2.1 and 192.0.2.2; no ICMP received"));
        assertTrue(model.latestProperty().get().startsWith("Path MTU 1280 bytes, 1218 inside the tunnel (BLACK_HOLE"),
                model.latestProperty().get());
        assertTrue(model.bannerProperty().get().contains("packets of 1438 bytes vanish"));
        store.selectedProfileProperty().set("lab");
        assertEquals(1280, model.samples().get(0).mtu());
        assertNull(model.bannerProperty().get());
    }
}
