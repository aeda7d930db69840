package io.pathsec.installers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A systemd unit or desktop entry read as key=value settings (comments and sections skipped). */
record UnitFile(Map<String, String> settings) {

    static UnitFile read(Path file) {
        Map<String, String> settings = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (l.isEmpty() || l.startsWith("#") || l.startsWith("[") || eq < 0) {
                    continue;
                }
                settings.put(l.substring(0, eq), l.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new UnitFile(settings);
    }

    String get(String key) {
        String v = settings.get(key);
        if (v == null) {
            throw new AssertionError(key + " is not set; settings: " + settings.keySet());
        }
        return v;
    }

    /** ExecStart split into words (the unit uses no quoting). */
    List<String> execStart() {
        return new ArrayList<>(List.of(get("ExecStart").split("\\s+")));
    }
}
