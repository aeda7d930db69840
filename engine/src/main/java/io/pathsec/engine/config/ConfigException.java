package io.pathsec.engine.config;

import java.nio.file.Path;

/**
 * A configuration file that cannot be used. The message names the file, the JSON path of the
 * offending field (for example {@code sas[1].key}) and the problem in plain words, so a user
 * can fix it without reading code.
 */
public final class ConfigException extends Exception {
    private final transient Path file;
    private final String jsonPath;
    private final String problem;

    public ConfigException(Path file, String jsonPath, String problem) {
        this(file, jsonPath, problem, null);
    }

    public ConfigException(Path file, String jsonPath, String problem, Throwable cause) {
        super(file + ": " + (jsonPath.isEmpty() ? "" : jsonPath + ": ") + problem, cause);
        this.file = file;
        this.jsonPath = jsonPath;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** Where in the document, like {@code sas[1].key}; empty for the document as a whole. */
    public String jsonPath() {
        return jsonPath;
    }

    public String problem() {
        return problem;
    }
}
