package io.pathsec.engine.control.api;

import java.util.List;

/**
 * The answer to {@code profiles.put}.
 *
 * @param created false when an existing profile was replaced
 * @param warnings things the user should hear about that do not stop the profile from working
 * @param appliesOnNextConnect true when the profile's tunnel is connected: it keeps running with
 *                             the old profile until reconnected
 */
public record PutProfileResult(String name, boolean created, List<String> warnings,
                               boolean appliesOnNextConnect) {
    public PutProfileResult {
        warnings = List.copyOf(warnings);
    }
}
