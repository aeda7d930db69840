package io.pathsec.engine.control.api;

import java.nio.file.Path;
import java.util.List;

/**
 * The constants of the control protocol between the PathSec daemon and its clients (CLI, GUI):
 * newline-delimited JSON over a Unix domain socket, every message carrying {@code "v"}. The
 * protocol is described with an example per message in {@code docs/control-api.md}.
 */
public final class ControlProtocol {
    /** The protocol version this code speaks; a message with another {@code "v"} is refused. */
    public static final int VERSION = 1;
    /** Versions the daemon accepts, announced in the answer to {@code hello}. */
    public static final List<Integer> SUPPORTED_VERSIONS = List.of(VERSION);
    /**
     * The largest message, newline excluded. A profile is a few kilobytes; anything near this is
     * a bug or an attack, and is answered with {@link ErrorCode#TOO_LARGE} without being parsed.
     */
    public static final int MAX_MESSAGE_BYTES = 1 << 20;
    /** Where the daemon listens unless told otherwise (systemd's RuntimeDirectory=pathsec). */
    public static final Path DEFAULT_SOCKET = Path.of("/run/pathsec/control.sock");
    /** Besides root, members of this group may use the control API. */
    public static final String GROUP = "pathsec";
    /** The value that stands for a stored secret in profiles sent and received (write-only). */
    public static final String STORED_SECRET = "@stored";

    private ControlProtocol() {
    }
}
