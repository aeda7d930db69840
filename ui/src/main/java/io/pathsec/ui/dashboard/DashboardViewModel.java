package io.pathsec.ui.dashboard;

import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.TunnelCounters;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.ui.daemon.BackgroundWork;
import io.pathsec.ui.daemon.DaemonLink;
import io.pathsec.ui.state.TunnelSnapshot;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection dashboard of the selected profile: state, device, traffic, the SAs and a
 * throughput history built from the daemon's per-second counter events.
 */
public final class DashboardViewModel {
    /** Two minutes of per-second samples: enough to see a stall and its recovery. */
    public static final int HISTORY = 120;
    /** SA packet counts come from a request; one every few seconds keeps them current enough. */
    static final int SA_REFRESH_EVERY = 5;

    private final DaemonLink daemon;
    private final BackgroundWork work;
    private final TunnelStateStore store;
    private final Map<String, Deque<RateSample>> history = new HashMap<>();
    private final Map<String, Integer> countersSeen = new HashMap<>();
    private final ObservableList<RateSample> throughput = FXCollections.observableArrayList();
    private final ObservableList<SaRow> sas = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(this, "state");
    private final ReadOnlyStringWrapper device = new ReadOnlyStringWrapper(this, "device");
    private final ReadOnlyStringWrapper rates = new ReadOnlyStringWrapper(this, "rates");
    private final ReadOnlyStringWrapper packets = new ReadOnlyStringWrapper(this, "packets");
    private final ReadOnlyStringWrapper drops = new ReadOnlyStringWrapper(this, "drops");

    public DashboardViewModel(DaemonLink daemon, BackgroundWork work, TunnelStateStore store) {
        this.daemon = daemon;
        this.work = work;
        this.store = store;
        store.selectedProperty().addListener((o, was, now) -> show(was, now));
        show(null, store.selectedProperty().get());
    }

    public ObservableList<RateSample> throughput() {
        return throughput;
    }

    public ObservableList<SaRow> sas() {
        return sas;
    }

    public ReadOnlyStringProperty stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deviceProperty() {
        return device.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty ratesProperty() {
        return rates.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty packetsProperty() {
        return packets.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty dropsProperty() {
        return drops.getReadOnlyProperty();
    }

    /** Takes every event (on the FX thread); keeps per-profile throughput history. */
    public void accept(ControlEvent event) {
        if (event instanceof io.pathsec.engine.control.api.SaChanged changed) {
            // A rekey or a new CHILD_SA: the table shows SPIs, so it must not wait for the next poll.
            if (changed.profile().equals(store.selectedProfileProperty().get())) {
                refreshSas();
            }
            return;
        }
        if (!(event instanceof TunnelCounters c)) {
            return;
        }
        Deque<RateSample> h = history.computeIfAbsent(c.profile(), k -> new ArrayDeque<>());
        RateSample s = new RateSample(c.at(), c.rates().sentBitsPerSecond(), c.rates().receivedBitsPerSecond());
        h.addLast(s);
        while (h.size() > HISTORY) {
            h.removeFirst();
        }
        if (c.profile().equals(store.selectedProfileProperty().get())) {
            throughput.add(s);
            if (throughput.size() > HISTORY) {
                throughput.remove(0, throughput.size() - HISTORY);
            }
            int seen = countersSeen.merge(c.profile(), 1, Integer::sum);
            if (seen % SA_REFRESH_EVERY == 0) {
                refreshSas();
            }
        }
    }

    public void refreshSas() {
        TunnelSnapshot t = store.selectedProperty().get();
        if (t == null || !t.connected()) {
            sas.clear();
            return;
        }
        String name = t.profile();
        work.run(() -> daemon.securityAssociations(name), list -> {
            if (name.equals(store.selectedProfileProperty().get())) {
                sas.setAll(list.sas().stream().map(SaRow::of).toList());
            }
        }, e -> sas.clear());
    }

    private void show(TunnelSnapshot was, TunnelSnapshot now) {
        if (now == null) {
            state.set("No profile selected");
            device.set("—");
            rates.set("—");
            packets.set("—");
            drops.set("—");
            throughput.clear();
            sas.clear();
            return;
        }
        boolean otherProfile = was == null || !was.profile().equals(now.profile());
        if (otherProfile) {
            throughput.setAll(List.copyOf(history.getOrDefault(now.profile(), new ArrayDeque<>())));
        }
        state.set(describe(now.state()));
        device.set(now.device() == null ? "—" : now.device());
        rates.set(now.connected() ? "↑ " + Units.bitsPerSecond(now.rates().sentBitsPerSecond()) + "   ↓ "
                + Units.bitsPerSecond(now.rates().receivedBitsPerSecond()) : "—");
        Counters c = now.counters();
        packets.set(c == null ? "—" : "sent " + Units.count(c.sentPackets()) + " (" + Units.bytes(c.sentBytes())
                + "), received " + Units.count(c.receivedPackets()) + " (" + Units.bytes(c.receivedBytes()) + ")");
        drops.set(c == null ? "—" : "outbound " + SaRow.drops(c.outboundDrops()) + "; inbound "
                + SaRow.drops(c.inboundDrops()));
        boolean cameUp = now.connected() && (otherProfile || !was.connected());
        if (cameUp || otherProfile || !now.connected()) {
            refreshSas();
        }
    }

    static String describe(TunnelState s) {
        return switch (s) {
            case DISCONNECTED -> "Disconnected";
            case CONNECTING -> "Connecting…";
            case CONNECTED -> "Connected";
            case DISCONNECTING -> "Disconnecting…";
            case FAILED -> "Failed";
        };
    }
}
