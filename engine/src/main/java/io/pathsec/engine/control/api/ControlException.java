package io.pathsec.engine.control.api;

/** The daemon answered a request with an error. */
public final class ControlException extends Exception {
    private final ControlError error;

    public ControlException(ControlError error) {
        super(error.message());
        this.error = error;
    }

    public ControlError error() {
        return error;
    }

    public ErrorCode code() {
        return error.code();
    }
}
