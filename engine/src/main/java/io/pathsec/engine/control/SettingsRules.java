package io.pathsec.engine.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.PmtuMethod;
import io.pathsec.engine.control.api.ProfileSettings;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Reads and checks {@link ProfileSettings}; an unknown value is an error, never a silent default. */
final class SettingsRules {
    /** The IPv4 minimum datagram every host must accept (RFC 791); below it PMTU is nonsense. */
    static final int MIN_PMTU_FLOOR = 576;

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
            if (!key.equals("icmpHandling") && !key.equals("pmtuMethods") && !key.equals("pmtuFloor")
                    && !key.equals("tcpMssPort")) {
                throw ControlFailure.invalid(field + "." + key,
                        "unknown setting; known: icmpHandling, pmtuMethods, pmtuFloor, tcpMssPort");
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
