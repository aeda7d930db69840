package io.pathsec.ui.pmtu;

import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Path MTU view of the selected profile: samples per SA over time, the latest value, and a
 * banner after a black hole. Until the tunnel reports a sample it stays empty and says so.
 */
public final class PmtuViewModel {
    /** Samples kept per profile; PMTU changes rarely, so this covers a long session. */
    static final int HISTORY = 500;

    private final TunnelStateStore store;
    private final Map<String, List<PmtuSample>> byProfile = new HashMap<>();
    private final ObservableList<PmtuSample> samples = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper latest = new ReadOnlyStringWrapper(this, "latest");
    private final ReadOnlyStringWrapper banner = new ReadOnlyStringWrapper(this, "banner");
    private final BooleanBinding hasData = Bindings.isNotEmpty(samples);

    public PmtuViewModel(TunnelStateStore store) {
        this.store = store;
        store.selectedProfileProperty().addListener((o, was, now) -> showProfile(now));
        showProfile(store.selectedProfileProperty().get());
    }

    public ObservableList<PmtuSample> samples() {
        return samples;
    }

    public BooleanBinding hasDataBinding() {
        return hasData;
    }

    /** The newest value, its source and time, or the "no data" sentence. */
    public ReadOnlyStringProperty latestProperty() {
        return latest.getReadOnlyProperty();
    }

    /** Non-null after a black hole was detected on the selected profile. */
    public ReadOnlyStringProperty bannerProperty() {
        return banner.getReadOnlyProperty();
    }

    public void accept(ControlEvent event) {
        PmtuEvents.sample(event).ifPresent(this::add);
    }

    public void add(PmtuSample s) {
        String profile = s.profile() == null ? store.selectedProfileProperty().get() : s.profile();
        if (profile == null) {
            return;
        }
        List<PmtuSample> list = byProfile.computeIfAbsent(profile, k -> new ArrayList<>());
        list.add(s);
        if (list.size() > HISTORY) {
            list.remove(0);
        }
        if (profile.equals(store.selectedProfileProperty().get())) {
            samples.add(s);
            if (samples.size() > HISTORY) {
                samples.remove(0);
            }
            describe();
        }
    }

    private void showProfile(String profile) {
        samples.setAll(profile == null ? List.of() : byProfile.getOrDefault(profile, List.of()));
        describe();
    }

    private void describe() {
        if (samples.isEmpty()) {
            latest.set("No PMTU data yet: samples appear here as the tunnel measures its path.");
            banner.set(null);
            return;
        }
        PmtuSample last = samples.get(samples.size() - 1);
        latest.set("Path MTU " + last.mtu() + " bytes, " + last.effectiveMtu() + " inside the tunnel (" + last.source()
                + ", " + time(last.at()) + ", SA " + last.sa() + ")");
        PmtuSample hole = null;
        for (PmtuSample s : samples) {
            if (s.blackHole()) {
                hole = s;
            }
        }
        banner.set(hole == null ? null : "Black hole detected at " + time(hole.at()) + ": " + (hole.message() != null
                ? hole.message() : "large packets vanished without any ICMP error; now using " + hole.mtu() + " bytes."));
    }

    private static String time(long at) {
        return new SimpleDateFormat("HH:mm:ss").format(new Date(at));
    }
}
