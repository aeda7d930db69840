package io.pathsec.ui.state;

import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.EventsDropped;
import io.pathsec.engine.control.api.LogLine;
import io.pathsec.engine.control.api.ProfileSummary;
import io.pathsec.engine.control.api.Rates;
import io.pathsec.engine.control.api.Status;
import io.pathsec.engine.control.api.TunnelCounters;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelStateChanged;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.MapChangeListener;
import javafx.collections.ObservableMap;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one place that holds the tunnels' state for the whole GUI, in the manner of strongSwan's
 * VpnStateService: the daemon's answers and events are applied here, every view only observes.
 * Mutated only on the FX thread (the {@code EventPump} and the view-models' task callbacks post
 * there), so observers never see a change from another thread. A put of an equal snapshot does
 * not notify (ObservableMap compares values), so observers hear only real changes.
 */
public final class TunnelStateStore {
    private final ObservableMap<String, TunnelSnapshot> tunnels = FXCollections.observableMap(new TreeMap<>());
    /**
     * One read-only view for the store's life: JavaFX's unmodifiable wrapper hears the backing map
     * through a weak listener, so a wrapper made per call (and its observers) is lost at the next
     * garbage collection.
     */
    private final ObservableMap<String, TunnelSnapshot> readOnlyTunnels = FXCollections.unmodifiableObservableMap(tunnels);
    private final ObjectProperty<String> selectedProfile = new SimpleObjectProperty<>(this, "selectedProfile");
    private final ReadOnlyObjectWrapper<TunnelSnapshot> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private final ReadOnlyStringWrapper daemonProblem = new ReadOnlyStringWrapper(this, "daemonProblem");

    public TunnelStateStore() {
        selectedProfile.addListener((o, was, now) -> refreshSelected());
        tunnels.addListener((MapChangeListener<String, TunnelSnapshot>) change -> {
            if (change.getKey().equals(selectedProfile.get())) {
                refreshSelected();
            }
        });
    }

    /** Every known profile's tunnel, sorted by profile name. */
    public ObservableMap<String, TunnelSnapshot> tunnels() {
        return readOnlyTunnels;
    }

    /** The profile the user is looking at (profiles list, dashboard, ICMP and PMTU views share it). */
    public ObjectProperty<String> selectedProfileProperty() {
        return selectedProfile;
    }

    /** The selected profile's tunnel, or null when nothing is selected. */
    public ReadOnlyObjectProperty<TunnelSnapshot> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    /** Non-null while the daemon cannot be reached, in words for the user. */
    public ReadOnlyStringProperty daemonProblemProperty() {
        return daemonProblem.getReadOnlyProperty();
    }

    public TunnelSnapshot tunnel(String profile) {
        return tunnels.get(profile);
    }

    /** The full picture from {@code status}: profiles that vanished are forgotten. */
    public void reset(Status status) {
        Set<String> names = new HashSet<>();
        for (TunnelInfo t : status.tunnels()) {
            names.add(t.profile());
            apply(t);
        }
        tunnels.keySet().retainAll(names);
        daemonProblem.set(null);
    }

    /** The profile list: new profiles appear disconnected, removed ones disappear. */
    public void reset(List<ProfileSummary> profiles) {
        Set<String> names = new HashSet<>();
        for (ProfileSummary p : profiles) {
            names.add(p.name());
            TunnelSnapshot known = tunnels.get(p.name());
            TunnelSnapshot base = known != null ? known : TunnelSnapshot.disconnected(p.name());
            if (base.state() != p.state()) {
                base = base.withState(p.state(), base.device(), base.error());
            }
            tunnels.put(p.name(), base);
        }
        tunnels.keySet().retainAll(names);
    }

    /** An answer to connect, disconnect or status. */
    public void apply(TunnelInfo info) {
        TunnelSnapshot known = tunnels.getOrDefault(info.profile(), TunnelSnapshot.disconnected(info.profile()));
        TunnelSnapshot next = known.withState(info.state(), info.device(), info.error());
        if (info.counters() != null) {
            next = next.withCounters(info.device(), info.counters(), known.rates() == null ? Rates.ZERO : known.rates());
        }
        tunnels.put(info.profile(), next);
    }

    public void forget(String profile) {
        tunnels.remove(profile);
        if (profile.equals(selectedProfile.get())) {
            selectedProfile.set(null);
        }
    }

    /** An event from the daemon's stream. */
    public void apply(ControlEvent event) {
        if (event instanceof TunnelStateChanged s) {
            TunnelSnapshot known = tunnels.getOrDefault(s.profile(), TunnelSnapshot.disconnected(s.profile()));
            tunnels.put(s.profile(), known.withState(s.state(), s.device(), s.error()));
        } else if (event instanceof TunnelCounters c) {
            TunnelSnapshot known = tunnels.get(c.profile());
            // Counters of a tunnel this GUI has not heard of wait for the next status.
            if (known != null) {
                tunnels.put(c.profile(), known.withCounters(c.device(), c.counters(), c.rates()));
            }
        } else if (event instanceof LogLine || event instanceof EventsDropped) {
            // Not tunnel state: the log view takes these; after drops the next counters catch up.
            return;
        }
    }

    public void daemonLost(String problem) {
        daemonProblem.set(problem);
    }

    private void refreshSelected() {
        String name = selectedProfile.get();
        selected.set(name == null ? null : tunnels.get(name));
    }
}
