package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ControlError;
import io.pathsec.engine.control.api.ErrorCode;

/** A request that cannot be served; becomes the response's {@code "error"}. */
final class ControlFailure extends Exception {
    private final transient ControlError error;

    ControlFailure(ErrorCode code, String message) {
        this(new ControlError(code, message));
    }

    ControlFailure(ControlError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    ControlError error() {
        return error;
    }

    static ControlFailure notFound(String name) {
        return new ControlFailure(ErrorCode.NOT_FOUND, "no profile named " + name);
    }

    static ControlFailure invalid(String field, String problem) {
        return new ControlFailure(new ControlError(ErrorCode.INVALID_PROFILE, field + ": " + problem, field));
    }
}
