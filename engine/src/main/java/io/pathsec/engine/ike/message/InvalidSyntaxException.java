package io.pathsec.engine.ike.message;

/** A malformed message or payload: INVALID_SYNTAX (RFC 7296 §3.10.1, type 7). */
public final class InvalidSyntaxException extends IkeProtocolException {
    public InvalidSyntaxException(String message) {
        super(NotifyType.INVALID_SYNTAX, message);
    }
}
