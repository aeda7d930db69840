package io.pathsec.engine.control.api;

import java.util.List;

/**
 * The answer to {@code profiles.import}.
 *
 * @param warnings what of the file was left out or changed (unsupported options), in words
 */
public record ImportProfileResult(String name, ProfileKind kind, boolean created, List<String> warnings) {
    public ImportProfileResult {
        warnings = List.copyOf(warnings);
    }
}
