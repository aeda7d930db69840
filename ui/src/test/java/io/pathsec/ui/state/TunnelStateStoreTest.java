package io.pathsec.ui.state;

import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.Rates;
import io.pathsec.engine.control.api.Status;
import io.pathsec.engine.control.api.TunnelCounters;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.engine.control.api.TunnelStateChanged;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TunnelStateStoreTest {
    private final TunnelStateStore store = new TunnelStateStore();

    private static TunnelInfo info(String name, TunnelState s) {
        return new TunnelInfo(name, ProfileKind.STATIC_KEY, s, null, 0, null, null);
    }

    @Test
    void statusEventsAndCountersBuildOnePicture() {
        store.reset(new Status(List.of(info("lab", TunnelState.DISCONNECTED), info("office", TunnelState.DISCONNECTED))));
        store.selectedProfileProperty().set("office");
        List<TunnelState> seen = new ArrayList<>();
        store.selectedProperty().addListener((o, was, now) -> seen.add(now.state()));

        store.apply(new TunnelStateChanged("office", 1, TunnelState.CONNECTING, TunnelState.DISCONNECTED, null, null));
        store.apply(new TunnelStateChanged("office", 2, TunnelState.CONNECTED, TunnelState.CONNECTING, "psx0", null));
        Counters c = new Counters(10, 14000, 9, 12000, java.util.Map.of(), java.util.Map.of());
        store.apply(new TunnelCounters("office", 3, "psx0", c, new Rates(10, 112000, 9, 96000)));
        TunnelSnapshot t = store.selectedProperty().get();
        assertEquals(TunnelState.CONNECTED, t.state());
        assertEquals("psx0", t.device());
        assertEquals(c, t.counters());
        assertEquals(112000, t.rates().sentBitsPerSecond());
        assertEquals(List.of(TunnelState.CONNECTING, TunnelState.CONNECTED, TunnelState.CONNECTED), seen);

        store.apply(new TunnelStateChanged("office", 4, TunnelState.DISCONNECTED, TunnelState.CONNECTED, null, null));
        assertNull(store.selectedProperty().get().counters(), "counters belong to a connected tunnel");
        assertEquals(TunnelState.DISCONNECTED, store.tunnel("lab").state(), "other profiles untouched");
    }

    @Test
    void observersHearOnlyRealChanges() {
        store.reset(new Status(List.of(info("office", TunnelState.DISCONNECTED))));
        store.selectedProfileProperty().set("office");
        int[] changes = {0};
        store.selectedProperty().addListener((o, was, now) -> changes[0]++);
        store.apply(info("office", TunnelState.DISCONNECTED));
        store.reset(new Status(List.of(info("office", TunnelState.DISCONNECTED))));
        assertEquals(0, changes[0]);
    }

    @Test
    void aFailureKeepsItsReasonAndProfilesThatVanishAreForgotten() {
        store.reset(new Status(List.of(info("office", TunnelState.DISCONNECTED), info("lab", TunnelState.DISCONNECTED))));
        store.apply(new TunnelStateChanged("office", 1, TunnelState.FAILED, TunnelState.CONNECTING, null, "busy"));
        assertEquals("busy", store.tunnel("office").error());
        store.reset(new Status(List.of(info("office", TunnelState.FAILED))));
        assertTrue(store.tunnels().containsKey("office"));
        assertNull(store.tunnel("lab"));
    }

    @Test
    void countersOfAnUnknownProfileWaitForStatus() {
        store.apply(new TunnelCounters("ghost", 1, "psx9", Counters.ZERO, Rates.ZERO));
        assertTrue(store.tunnels().isEmpty());
    }
    /**
     * The main window listens to {@code tunnels()} once and keeps no other reference. JavaFX's
     * unmodifiable wrapper hears its backing map only through a weak listener, so a fresh wrapper per
     * call went deaf at the next collection and the profile selector stopped following new profiles.
     */
    @Test
    void aListenerOnTheTunnelsOutlivesGarbageCollection() {
        List<String> heard = new ArrayList<>();
        store.tunnels().addListener((javafx.collections.MapChangeListener<String, TunnelSnapshot>) c -> heard.add(c.getKey()));
        collectGarbage();
        store.reset(new Status(List.of(info("gw", TunnelState.DISCONNECTED))));
        assertEquals(List.of("gw"), heard);
    }

    /** Runs collections until a weakly held canary is gone (bounded: at most 20 tries). */
    private static void collectGarbage() {
        java.lang.ref.WeakReference<Object> canary = new java.lang.ref.WeakReference<>(new Object());
        for (int i = 0; i < 20 && canary.get() != null; i++) {
            System.gc();
        }
        assertNull(canary.get(), "no collection ran");
    }
}
