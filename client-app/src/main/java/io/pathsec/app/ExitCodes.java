package io.pathsec.app;

/** Exit codes of the pathsec command (sysexits-style, so scripts can tell causes apart). */
public final class ExitCodes {
    public static final int OK = 0;
    /** The command ran and failed (a tunnel could not start, a transfer failed). */
    public static final int FAILURE = 1;
    /** Wrong usage: unknown option, missing argument (picocli's default). */
    public static final int USAGE = 2;
    /** The daemon refused the request as malformed: a client and daemon that do not match (EX_DATAERR). */
    public static final int DATA_ERROR = 65;
    /** No profile (or no connected tunnel) of that name, or an input file is missing (EX_NOINPUT). */
    public static final int NOT_FOUND = 66;
    /** The PathSec daemon is not running or cannot be reached (EX_UNAVAILABLE). */
    public static final int DAEMON_UNAVAILABLE = 69;
    /** A profile of that name exists already (EX_CANTCREAT). */
    public static final int ALREADY_EXISTS = 73;
    /** The daemon speaks another protocol version (EX_PROTOCOL). */
    public static final int PROTOCOL = 76;
    /** A configuration file or profile is invalid (EX_CONFIG). */
    public static final int CONFIG = 78;
    /** Root or CAP_NET_ADMIN is needed, or the daemon refused this user (EX_NOPERM). */
    public static final int NO_PERMISSION = 77;

    private ExitCodes() {
    }
}
