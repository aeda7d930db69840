package io.pathsec.ui.pmtu;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.pathsec.engine.control.api.LogLine;
import io.pathsec.ui.state.TunnelStateStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PmtuViewModelTest {
    private final TunnelStateStore store = new TunnelStateStore();
    private final PmtuViewModel model = new PmtuViewModel(store);

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    @Test
    void withoutSamplesTheViewSaysSo() {
        store.selectedProfileProperty().set("office");
        model.accept(new LogLine("office", 1, "INFO", "x", "not a pmtu event"));
        assertFalse(model.hasDataBinding().get());
        assertTrue(model.latestProperty().get().startsWith("No PMTU data yet"));
    }

    @Test
    void genericPmtuEventsAreRead() {
        PmtuSample s = PmtuEvents.sample("pmtu.sample", json(
                "{\"profile\":\"office\",\"at\":5,\"spi\":\"0x00001000\",\"plpmtu\":1400,\"source\":\"dplpmtud\"}"))
                .orElseThrow();
        assertEquals(new PmtuSample("office", 5, "0x00001000", 1400, "dplpmtud", false), s);
        assertEquals(1352, PmtuEvents.sample("pmtu.black-hole", json("{\"profile\":\"office\",\"mtu\":1352}"))
                .orElseThrow().mtu());
        assertTrue(PmtuEvents.sample("pmtu.sample", json("{\"profile\":\"office\"}")).isEmpty(), "no number, no point");
        assertTrue(PmtuEvents.sample("tunnel.state", json("{\"mtu\":1}")).isEmpty());
    }

    @Test
    void samplesOfTheSelectedProfileAreChartedAndABlackHoleRaisesTheBanner() {
        store.selectedProfileProperty().set("office");
        model.add(new PmtuSample("office", 1000, "0x1000", 1500, "classic", false));
        model.add(new PmtuSample("lab", 1000, "0x3000", 1280, "classic", false));
        assertEquals(1, model.samples().size());
        assertNull(model.bannerProperty().get());
        model.add(new PmtuSample("office", 2000, "0x1000", 1352, "black-hole", true));
        assertTrue(model.latestProperty().get().startsWith("Path MTU 1352 bytes (black-hole"));
        assertTrue(model.bannerProperty().get().contains("now using 1352 bytes"));
        store.selectedProfileProperty().set("lab");
        assertEquals(1280, model.samples().get(0).mtu());
        assertNull(model.bannerProperty().get());
    }
}
