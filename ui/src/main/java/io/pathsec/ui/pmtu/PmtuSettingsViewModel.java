package io.pathsec.ui.pmtu;

import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.OuterDfBit;
import io.pathsec.engine.control.api.PmtuMethod;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.ui.daemon.BackgroundWork;
import io.pathsec.ui.daemon.DaemonLink;
import io.pathsec.ui.daemon.UserWords;
import io.pathsec.ui.profiles.FormField;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The selected profile's path-MTU settings (DESIGN.md "Path MTU", docs/pmtu.md, issue 4 item 7):
 * which sources may set the MTU, the floor none may go below, a fixed MTU that overrides them
 * all, the raise and probe timers of RFC 8899, and the outer DF bit (RFC 4301 §8.1); read and
 * stored with {@code settings.get/set}. They apply at the profile's next connect.
 */
public final class PmtuSettingsViewModel {
    /** RFC 791's minimum datagram: a floor below it would believe forged ICMP (RFC 4301 §8.2.2). */
    static final int MIN_FLOOR = 576;
    /** The daemon's defaults when a profile leaves a timer unset (docs/control-api.md, settings). */
    public static final int DEFAULT_RAISE_SECONDS = 600;
    public static final int DEFAULT_PROBE_SECONDS = 15;

    private final DaemonLink daemon;
    private final BackgroundWork work;
    private final TunnelStateStore store;
    private final Map<PmtuMethod, BooleanProperty> methods = new EnumMap<>(PmtuMethod.class);
    public final FormField floor = new FormField(v -> number(v, MIN_FLOOR, 65535,
            "A floor between " + MIN_FLOOR + " and 65535 bytes; 1280 suits IPv6 paths.", "A number of bytes, like 1280."));
    /** Empty or 0: off. */
    public final FormField fixedMtu = new FormField(v -> v.equals("0") ? null : number(v, MIN_FLOOR, 65535,
            "0 or empty (off), or a fixed MTU between " + MIN_FLOOR + " and 65535 bytes.",
            "A number of bytes, like 1400, or empty for no fixed MTU."));
    public final FormField raiseTimer = new FormField(v -> number(v, 1, 86400,
            "Between 1 and 86400 seconds (RFC 8899 suggests 600).", "A number of seconds, like 600."));
    public final FormField probeTimer = new FormField(v -> number(v, 1, 3600,
            "Between 1 and 3600 seconds (RFC 8899 suggests 15).", "A number of seconds, like 15."));
    private final ObjectProperty<OuterDfBit> outerDf = new SimpleObjectProperty<>(this, "outerDf", OuterDfBit.SET);
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

    public ObjectProperty<OuterDfBit> outerDfProperty() {
        return outerDf;
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

    /** The outer DF choices in one line each (RFC 4301 §8.1). */
    public static String describe(OuterDfBit df) {
        return switch (df) {
            case SET -> "Routers report a too-small link rather than fragment (default).";
            case COPY -> "As the inner packet's DF bit.";
            case CLEAR -> "Routers may fragment the ESP packets.";
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
        floor.reset(text(s.pmtuFloor()));
        fixedMtu.reset(s.pmtuFixedMtu() == null || s.pmtuFixedMtu() == 0 ? "" : String.valueOf(s.pmtuFixedMtu()));
        raiseTimer.reset(text(s.pmtuRaiseTimerSeconds()));
        probeTimer.reset(text(s.pmtuProbeTimerSeconds()));
        outerDf.set(s.outerDf() == null ? OuterDfBit.SET : s.outerDf());
    }

    /**
     * Stores the settings. An empty floor or timer keeps the stored value; an empty fixed MTU
     * turns the override off (0).
     */
    public void apply() {
        String name = store.selectedProfileProperty().get();
        boolean valid = FormField.revalidateAll(fields().values());
        if (name == null || !valid) {
            return;
        }
        List<PmtuMethod> chosen = methods.entrySet().stream().filter(e -> e.getValue().get()).map(Map.Entry::getKey)
                .toList();
        ProfileSettings update = new ProfileSettings(null, chosen, integer(floor), null,
                fixedMtu.value().isEmpty() ? 0 : integer(fixedMtu), integer(raiseTimer), integer(probeTimer),
                outerDf.get());
        message.set("Saving…");
        work.run(() -> daemon.updateSettings(name, update), s -> {
            show(s);
            message.set("Stored for " + name + " (applies at the next connect)" + (chosen.isEmpty()
                    ? ": no sources; the tunnel keeps its configured MTU."
                    : ": " + chosen.size() + " of " + methods.size() + " sources, floor " + s.pmtuFloor() + " bytes"
                    + (s.pmtuFixedMtu() != null && s.pmtuFixedMtu() > 0 ? ", fixed at " + s.pmtuFixedMtu() : "")
                    + "."));
        }, e -> {
            FormField owner = e instanceof ControlException c && c.code() == ErrorCode.INVALID_PROFILE
                    ? fields().get(c.error().field()) : null;
            if (owner != null) {
                owner.reject(((ControlException) e).getMessage());
                message.set(null);
            } else {
                message.set(UserWords.of(e).summary());
            }
        });
    }

    /** The fields by the daemon's name for them, for its INVALID_PROFILE verdicts. */
    private Map<String, FormField> fields() {
        Map<String, FormField> m = new LinkedHashMap<>();
        m.put("settings.pmtuFloor", floor);
        m.put("settings.pmtuFixedMtu", fixedMtu);
        m.put("settings.pmtuRaiseTimerSeconds", raiseTimer);
        m.put("settings.pmtuProbeTimerSeconds", probeTimer);
        return m;
    }

    private static Integer integer(FormField f) {
        return f.value().isEmpty() ? null : Integer.valueOf(f.value());
    }

    private static String text(Integer n) {
        return n == null ? "" : String.valueOf(n);
    }

    /** Empty keeps the stored value; else a whole number in [min, max]. */
    static String number(String v, int min, int max, String outOfRange, String notANumber) {
        if (v.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            return n >= min && n <= max ? null : outOfRange;
        } catch (NumberFormatException e) {
            return notANumber;
        }
    }
}
