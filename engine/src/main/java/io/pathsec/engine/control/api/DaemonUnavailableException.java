package io.pathsec.engine.control.api;

import java.io.IOException;
import java.nio.file.Path;

/** The client could not reach a daemon at all; {@link #reason()} says which way it failed. */
public final class DaemonUnavailableException extends IOException {
    public enum Reason {
        /** Nothing at the socket path: the daemon is not running. */
        NO_SOCKET,
        /** A socket file without a listener: the daemon died or is starting. */
        NOT_LISTENING,
        /** The file system refused: the user is not in the group that may use the socket. */
        NO_ACCESS
    }

    private final transient Path socket;
    private final Reason reason;

    public DaemonUnavailableException(Path socket, Reason reason, Throwable cause) {
        super(message(socket, reason), cause);
        this.socket = socket;
        this.reason = reason;
    }

    private static String message(Path socket, Reason reason) {
        return switch (reason) {
            case NO_SOCKET -> "the PathSec daemon is not running (no socket at " + socket
                    + "); start it with: sudo pathsec daemon";
            case NOT_LISTENING -> "the PathSec daemon is not running (" + socket
                    + " exists but nobody listens); start it with: sudo pathsec daemon";
            case NO_ACCESS -> "you may not use the PathSec daemon's socket " + socket
                    + " (permission denied); ask an administrator to add you to the group "
                    + ControlProtocol.GROUP + " (sudo usermod -aG " + ControlProtocol.GROUP
                    + " $USER), then log in again";
        };
    }

    public Path socket() {
        return socket;
    }

    public Reason reason() {
        return reason;
    }
}
