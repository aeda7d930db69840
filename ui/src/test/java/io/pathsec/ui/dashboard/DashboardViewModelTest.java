package io.pathsec.ui.dashboard;

import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.Rates;
import io.pathsec.engine.control.api.Status;
import io.pathsec.engine.control.api.TunnelCounters;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.ui.state.TunnelStateStore;
import io.pathsec.ui.testsupport.DirectWork;
import io.pathsec.ui.testsupport.FakeDaemonLink;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DashboardViewModelTest {
    private final FakeDaemonLink daemon = new FakeDaemonLink();
    private final TunnelStateStore store = new TunnelStateStore();
    private final DashboardViewModel model = new DashboardViewModel(daemon, new DirectWork(), store);

    private void counters(String profile, long at, double up) {
        TunnelCounters c = new TunnelCounters(profile, at, "psx0",
                new Counters(at, at * 1000, at, at * 1000, Map.of(), Map.of("REPLAY", 2L)), new Rates(1, up, 1, up * 2));
        store.apply(c);
        model.accept(c);
    }

    @Test
    void theChartKeepsTwoMinutesPerProfileAndTheFactsFollowTheSelection() {
        store.reset(new Status(List.of(
                new TunnelInfo("lab", ProfileKind.STATIC_KEY, TunnelState.CONNECTED, "psx1", 0, null, null),
                new TunnelInfo("office", ProfileKind.STATIC_KEY, TunnelState.CONNECTED, "psx0", 0, null, null))));
        store.selectedProfileProperty().set("office");
        assertEquals("Connected", model.stateProperty().get());
        for (int i = 1; i <= DashboardViewModel.HISTORY + 30; i++) {
            counters("office", i * 1000L, 8e6);
        }
        counters("lab", 1000, 1e6);
        assertEquals(DashboardViewModel.HISTORY, model.throughput().size());
        assertEquals(31_000, model.throughput().get(0).at(), "the oldest samples went first");
        assertTrue(model.ratesProperty().get().contains("8.0 Mbit/s"), model.ratesProperty().get());
        assertTrue(model.dropsProperty().get().contains("inbound replay 2"), model.dropsProperty().get());
        assertTrue(daemon.calls.contains("sa office"), "SAs are fetched for a connected tunnel");

        store.selectedProfileProperty().set("lab");
        assertEquals(1, model.throughput().size(), "lab's own history");
        store.selectedProfileProperty().set(null);
        assertEquals("No profile selected", model.stateProperty().get());
        assertTrue(model.throughput().isEmpty());
    }

    @Test
    void aRekeyRefreshesTheSaTableAtOnce() {
        store.reset(new Status(List.of(
                new TunnelInfo("office", ProfileKind.STATIC_KEY, TunnelState.CONNECTED, "psx0", 0, null, null))));
        store.selectedProfileProperty().set("office");
        long before = daemon.calls.stream().filter("sa office"::equals).count();
        model.accept(new io.pathsec.engine.control.api.SaChanged("office", 1,
                io.pathsec.engine.control.api.SaChange.REKEYED, "0x00003000", "0x00004000", "aes256gcm16", "0x00001000"));
        assertEquals(before + 1, daemon.calls.stream().filter("sa office"::equals).count());
        model.accept(new io.pathsec.engine.control.api.SaChanged("lab", 2,
                io.pathsec.engine.control.api.SaChange.UP, "0x5", "0x6", "aes256gcm16", null));
        assertEquals(before + 1, daemon.calls.stream().filter("sa office"::equals).count(), "not another profile's");
    }

    @Test
    void unitsReadLikePeopleWriteThem() {
        assertEquals("1.5 MB", Units.bytes(1_500_000));
        assertEquals("999 B", Units.bytes(999));
        assertEquals("12.3 Mbit/s", Units.bitsPerSecond(12_300_000));
        assertEquals("12,345", Units.count(12345));
    }
}
