package io.pathsec.engine.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.OuterDfBit;
import io.pathsec.engine.control.api.PmtuMethod;
import io.pathsec.engine.control.api.ProfileSettings;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Reads and checks {@link ProfileSettings}; an unknown value is an error, never a silent default. */
final class SettingsRules {
    /** The IPv4 minimum datagram every host must accept (RFC 791); below it PMTU is nonsense. */
    static final int MIN_PMTU_FLOOR = 576;
    private static final List<String> KNOWN = List.of("icmpHandling", "pmtuMethods", "pmtuFloor", "tcpMssPort",
            "pmtuFixedMtu", "pmtuRaiseTimerSeconds", "pmtuProbeTimerSeconds", "outerDf");

    private SettingsRules() {
    }

    /** Decodes a settings object, refusing enum values this daemon does not know. */
    static ProfileSettings decode(JsonElement json, String field) throws ControlFailure {
        if (json == null || json.isJsonNull()) {
            return null;
        }
        if (!json.isJsonObject()) {
            throw ControlFailure.invalid(field, "must be an object");
        }
        JsonObject o = json.getAsJsonObject();
        for (String key : o.keySet()) {
            if (!KNOWN.contains(key)) {
                throw ControlFailure.invalid(field + "." + key, "unknown setting; known: " + String.join(", ", KNOWN));
            }
        }
        ProfileSettings s;
        try {
            s = ControlCodec.gson().fromJson(o, ProfileSettings.class);
        } catch (JsonParseException | NumberFormatException e) {
            throw ControlFailure.invalid(field, "not valid settings: " + e.getMessage());
        }
        if (present(o, "icmpHandling") && s.icmpHandling() == null) {
            throw ControlFailure.invalid(field + ".icmpHandling", "must be one of " + names(IcmpHandling.class)
                    + ", got " + o.get("icmpHandling"));
        }
        if (present(o, "outerDf") && s.outerDf() == null) {
            throw ControlFailure.invalid(field + ".outerDf", "must be one of " + names(OuterDfBit.class)
                    + ", got " + o.get("outerDf"));
        }
        if (present(o, "pmtuMethods")) {
            JsonElement methods = o.get("pmtuMethods");
            JsonArray array = methods.isJsonArray() ? methods.getAsJsonArray() : null;
            if (array == null || s.pmtuMethods() == null || s.pmtuMethods().contains(null)) {
                throw ControlFailure.invalid(field + ".pmtuMethods", "must be a list of " + names(PmtuMethod.class)
                        + ", got " + methods);
            }
        }
        return s;
    }

    static void check(ProfileSettings s) throws ControlFailure {
        if (s.pmtuFloor() != null && (s.pmtuFloor() < MIN_PMTU_FLOOR || s.pmtuFloor() > 65535)) {
            throw ControlFailure.invalid("settings.pmtuFloor", "must be " + MIN_PMTU_FLOOR + "-65535 bytes, got "
                    + s.pmtuFloor());
        }
        if (s.pmtuFixedMtu() != null && s.pmtuFixedMtu() != 0
                && (s.pmtuFixedMtu() < MIN_PMTU_FLOOR || s.pmtuFixedMtu() > 65535)) {
            throw ControlFailure.invalid("settings.pmtuFixedMtu", "must be 0 (off) or " + MIN_PMTU_FLOOR
                    + "-65535 bytes, got " + s.pmtuFixedMtu());
        }
        if (s.pmtuRaiseTimerSeconds() != null && (s.pmtuRaiseTimerSeconds() < 1 || s.pmtuRaiseTimerSeconds() > 86400)) {
            throw ControlFailure.invalid("settings.pmtuRaiseTimerSeconds", "must be 1-86400 seconds, got "
                    + s.pmtuRaiseTimerSeconds());
        }
        if (s.pmtuProbeTimerSeconds() != null && (s.pmtuProbeTimerSeconds() < 1 || s.pmtuProbeTimerSeconds() > 3600)) {
            // RFC 8899 §5.1.1: PROBE_TIMER "MUST NOT be smaller than 1 second".
            throw ControlFailure.invalid("settings.pmtuProbeTimerSeconds", "must be 1-3600 seconds, got "
                    + s.pmtuProbeTimerSeconds());
        }
        if (s.tcpMssPort() != null && (s.tcpMssPort() < 1 || s.tcpMssPort() > 65535)) {
            throw ControlFailure.invalid("settings.tcpMssPort", "must be a TCP port 1-65535, got " + s.tcpMssPort());
        }
    }

    private static boolean present(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull();
    }

    private static <E extends Enum<E>> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(e -> ControlCodec.gson().toJson(e)).collect(Collectors.joining(", "));
    }
}
