package io.pathsec.engine.pmtu.tcpmss;

/** A TCP-MSS message or connection that is refused, with the counted reason. */
final class TcpMssException extends Exception {
    private final TcpMssRejection reason;

    TcpMssException(TcpMssRejection reason, String message) {
        super(message);
        this.reason = reason;
    }

    TcpMssRejection reason() {
        return reason;
    }
}
