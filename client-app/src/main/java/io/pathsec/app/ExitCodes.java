package io.pathsec.app;

/** Exit codes of the pathsec command (sysexits-style, so scripts can tell causes apart). */
public final class ExitCodes {
    public static final int OK = 0;
    /** The command ran and failed (a tunnel could not start, a transfer failed). */
    public static final int FAILURE = 1;
    /** Wrong usage: unknown option, missing argument (picocli's default). */
    public static final int USAGE = 2;
    /** A configuration file is invalid (EX_CONFIG). */
    public static final int CONFIG = 78;
    /** Root or CAP_NET_ADMIN is needed (EX_NOPERM). */
    public static final int NO_PERMISSION = 77;

    private ExitCodes() {
    }
}
