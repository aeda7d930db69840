package io.pathsec.engine.control.api;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The requests of the control API, by their name on the wire. */
public enum Method {
    /** Version check and who the daemon thinks the client is. */
    HELLO("hello"),
    PROFILES_LIST("profiles.list"),
    PROFILES_GET("profiles.get"),
    PROFILES_PUT("profiles.put"),
    PROFILES_DELETE("profiles.delete"),
    CONNECT("connect"),
    DISCONNECT("disconnect"),
    /** Every profile's tunnel state, device and counters. */
    STATUS("status"),
    /** The security associations of one connected tunnel, without keys. */
    SA("sa"),
    /** The path MTU state of each outbound SA of one connected tunnel, with its history. */
    PMTU("pmtu"),
    /** Converts a profile of another program (a strongSwan Android {@code .sswan} file) and stores it. */
    PROFILES_IMPORT("profiles.import"),
    SETTINGS_GET("settings.get"),
    SETTINGS_SET("settings.set"),
    /** A diagnostics bundle of one tunnel: status, recent events, SAs, outer capture and its keys. */
    DIAG("diag"),
    /** Keeps (or stops keeping) the last outer packets of a tunnel for the next {@code diag}. */
    DIAG_CAPTURE("diag.capture"),
    /** Starts the event stream on this connection. */
    SUBSCRIBE("subscribe"),
    UNSUBSCRIBE("unsubscribe"),
    /** The road warriors connected to a running gateway profile. */
    GATEWAY_CLIENTS("gateway.clients");

    private final String wireName;

    Method(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Method> byWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Method::wireName).toList();
    }
}
