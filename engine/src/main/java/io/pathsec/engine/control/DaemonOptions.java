package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ControlProtocol;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link ControlDaemon} runs.
 *
 * @param socket the control socket's path; its directory is created 0750 if missing
 * @param stateDir where profiles and their secrets are stored
 * @param socketMode the socket file's mode, 0660 in production; tests that check the
 *                   credential test itself open it wider
 * @param socketGroup the group that owns the socket and its new directory, if it exists
 * @param access who may connect (SO_PEERCRED)
 * @param starter brings tunnels up
 * @param version the daemon's version, for {@code hello}
 */
public record DaemonOptions(Path socket, Path stateDir, String socketMode, String socketGroup, PeerAccess access,
                            TunnelStarter starter, String version) {
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/pathsec");

    public DaemonOptions {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(socketMode, "socketMode");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(starter, "starter");
        Objects.requireNonNull(version, "version");
    }

    /** The production daemon: real tunnels, socket 0660 group {@code pathsec}. */
    public static DaemonOptions standard(Path socket, Path stateDir, String version) {
        return new DaemonOptions(socket, stateDir, "rw-rw----", ControlProtocol.GROUP, PeerAccess.standard(),
                new LinuxTunnelStarter(), version);
    }

    public DaemonOptions withStarter(TunnelStarter s) {
        return new DaemonOptions(socket, stateDir, socketMode, socketGroup, access, s, version);
    }

    public DaemonOptions withAccess(PeerAccess a, String mode) {
        return new DaemonOptions(socket, stateDir, mode, socketGroup, a, starter, version);
    }
}
