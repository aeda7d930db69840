package io.pathsec.engine.control.api;

import java.util.Objects;

/**
 * The {@code "error"} member of a failed response.
 *
 * @param field for {@link ErrorCode#INVALID_PROFILE}, the JSON path of the offending field in
 *              the profile document (for example {@code config.sas[1].key}); otherwise null
 */
public record ControlError(ErrorCode code, String message, String field) {
    public ControlError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public ControlError(ErrorCode code, String message) {
        this(code, message, null);
    }
}
