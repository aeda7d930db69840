package io.pathsec.engine.config;

import java.util.List;

/**
 * A configuration that passed validation, and what the user should still hear about, such as
 * key material in a file that others can read.
 */
public record LoadedConfig(StaticConfig config, List<String> warnings) {
    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }
}
