package io.pathsec.engine.pmtu;

import java.time.Duration;
import java.util.Properties;

/** Reads one setting from system properties, keeping the default when it is absent. */
final class SettingsProperties {
    private SettingsProperties() {
    }

    static int integer(Properties p, String key, int fallback) {
        String v = p.getProperty(key);
        return v == null ? fallback : Integer.parseInt(v.trim());
    }

    /** ISO-8601, e.g. {@code PT5S}. */
    static Duration duration(Properties p, String key, Duration fallback) {
        String v = p.getProperty(key);
        return v == null ? fallback : Duration.parse(v.trim());
    }
}
