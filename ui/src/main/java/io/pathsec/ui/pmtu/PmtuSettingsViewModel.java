package io.pathsec.ui.pmtu;

import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.PmtuMethod;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.ui.daemon.BackgroundWork;
import io.pathsec.ui.daemon.DaemonLink;
import io.pathsec.ui.daemon.UserWords;
import io.pathsec.ui.profiles.FormField;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The selected profile's path-MTU settings (DESIGN.md "Path MTU"): which sources may set the
 * MTU and the floor none may go below, read and stored with {@code settings.get/set}.
 */
public final class PmtuSettingsViewModel {
    /** RFC 791's minimum datagram: a floor below it would believe forged ICMP (RFC 4301 §8.2.2). */
    static final int MIN_FLOOR = 576;

    private final DaemonLink daemon;
    private final BackgroundWork work;
    private final TunnelStateStore store;
    private final Map<PmtuMethod, BooleanProperty> methods = new EnumMap<>(PmtuMethod.class);
    public final FormField floor = new FormField(PmtuSettingsViewModel::floorRule);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");

    public PmtuSettingsViewModel(DaemonLink daemon, BackgroundWork work, TunnelStateStore store) {
        this.daemon = daemon;
        this.work = work;
        this.store = store;
        Arrays.stream(PmtuMethod.values()).forEach(m -> methods.put(m, new SimpleBooleanProperty(this, m.name())));
        store.selectedProfileProperty().addListener((o, was, now) -> load());
    }

    public BooleanProperty methodProperty(PmtuMethod m) {
        return methods.get(m);
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** What each source is, in one line, for the checkbox labels. */
    public static String describe(PmtuMethod m) {
        return switch (m) {
            case CLASSIC -> "ICMP \"fragmentation needed\" from routers (classic PMTUD, validated)";
            case DPLPMTUD -> "Probes inside IKE messages (RFC 8899 DPLPMTUD)";
            case TCP_MSS -> "The MSS middleboxes clamp, read over a short TCP exchange";
            case BLACK_HOLE_DETECTION -> "Black-hole detection: large packets vanish without ICMP";
        };
    }

    public void load() {
        String name = store.selectedProfileProperty().get();
        if (name == null) {
            message.set(null);
            return;
        }
        work.run(() -> daemon.settings(name), s -> {
            if (name.equals(store.selectedProfileProperty().get())) {
                show(s);
            }
        }, e -> message.set(UserWords.of(e).summary()));
    }

    private void show(ProfileSettings s) {
        methods.forEach((m, p) -> p.set(s.pmtuMethods() != null && s.pmtuMethods().contains(m)));
        floor.reset(s.pmtuFloor() == null ? "" : String.valueOf(s.pmtuFloor()));
    }

    public void apply() {
        String name = store.selectedProfileProperty().get();
        if (name == null || !floor.revalidate()) {
            return;
        }
        List<PmtuMethod> chosen = methods.entrySet().stream().filter(e -> e.getValue().get()).map(Map.Entry::getKey)
                .toList();
        Integer f = floor.value().isEmpty() ? null : Integer.valueOf(floor.value());
        message.set("Saving…");
        work.run(() -> daemon.updateSettings(name, new ProfileSettings(null, chosen, f)), s -> {
            show(s);
            message.set("Stored for " + name + (chosen.isEmpty() ? ": no sources; the tunnel keeps its configured MTU."
                    : ": " + chosen.size() + " of " + methods.size() + " sources, floor " + s.pmtuFloor() + " bytes."));
        }, e -> {
            if (e instanceof ControlException c && c.code() == ErrorCode.INVALID_PROFILE
                    && "settings.pmtuFloor".equals(c.error().field())) {
                floor.reject(c.getMessage());
                message.set(null);
            } else {
                message.set(UserWords.of(e).summary());
            }
        });
    }

    static String floorRule(String v) {
        if (v.isEmpty()) {
            return null; // keep the stored floor
        }
        try {
            int n = Integer.parseInt(v);
            return n >= MIN_FLOOR && n <= 65535 ? null
                    : "A floor between " + MIN_FLOOR + " and 65535 bytes; 1280 suits IPv6 paths.";
        } catch (NumberFormatException e) {
            return "A number of bytes, like 1280.";
        }
    }
}
