package io.pathsec.engine.ike.message;

/**
 * A received IKE message violates RFC 7296. Each subclass carries the Notify error type
 * (§3.10.1) that the responder may send back, and the error data that goes with it, so the
 * session layer can answer without re-inspecting the message.
 */
public abstract sealed class IkeProtocolException extends Exception
        permits InvalidSyntaxException, UnsupportedCriticalPayloadException,
        InvalidMajorVersionException, InvalidKePayloadException {
    private final NotifyType errorType;

    protected IkeProtocolException(NotifyType errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    /** The §3.10.1 error type to report to the peer. */
    public NotifyType errorType() {
        return errorType;
    }

    /** The Notification Data that accompanies {@link #errorType()}, empty when it has none. */
    public byte[] errorData() {
        return new byte[0];
    }
}
