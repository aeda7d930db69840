package io.pathsec.engine.lab;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.pathsec.engine.config.StaticConfig;
import io.pathsec.engine.config.StaticConfigGenerator;
import io.pathsec.engine.control.ControlDaemonService;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The production PathSec daemon ({@link ControlDaemonService}) running inside one lab
 * namespace, usually G1's, holding one static-key profile: what the desktop lab shows. Unlike a
 * bare engine process it speaks the control API, so the GUI (or any client) sees the tunnel's
 * state, SAs, counters, path-MTU samples, black holes and ICMP decisions as for a real tunnel.
 *
 * <p>The topology started the process ({@link LabTopology#start}), so closing the topology ends
 * it too; {@link #close()} ends it earlier, by PID, SIGTERM first so the daemon takes its TUN
 * device and routes down itself.
 */
public final class LabDaemon implements AutoCloseable {
    /** The daemon prints this, then the socket path, once clients can connect. */
    private static final String READY = "ready ";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final LabNode node;
    private final Process process;
    private final Path socket;
    private final Path log;

    private LabDaemon(LabNode node, Process process, Path socket, Path log) {
        this.node = node;
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /**
     * Starts the daemon in {@code node}'s namespace with its socket and state under
     * {@code workDir} (which must be private to root: the state holds keys) and waits, at most
     * 30 s, until it accepts clients.
     */
    public static LabDaemon start(LabTopology lab, LabNode node, Path workDir) throws IOException {
        String name = node.name().toLowerCase();
        Path socket = workDir.resolve(name + "-run/control.sock");
        Path state = workDir.resolve(name + "-state");
        Path log = workDir.resolve(name + "-daemon.log");
        Files.deleteIfExists(log);
        Process process = lab.start(node, EngineLauncher.javaCommand(ControlDaemonService.class,
                socket.toString(), state.toString()), log);
        LabDaemon daemon = new LabDaemon(node, process, socket, log);
        try {
            daemon.awaitReady();
            return daemon;
        } catch (IOException | RuntimeException e) {
            daemon.close();
            throw e;
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!logText().contains(READY + socket)) {
            if (!process.isAlive()) {
                throw new IOException("the PathSec daemon in " + node + " exited with " + process.exitValue()
                        + ":\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the PathSec daemon in " + node + " did not get ready within "
                        + START_TIMEOUT.toSeconds() + " s:\n" + logTail());
            }
            try {
                Thread.sleep(50); // polling the other process's log; bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the daemon in " + node);
            }
        }
    }

    /**
     * Stores {@code config} as the static-key profile {@code profile} and connects it, as a user
     * would with {@code pathsec profiles add} and {@code pathsec connect}.
     *
     * @return the connected tunnel
     * @throws IOException when the daemon refuses the profile or the tunnel does not come up
     */
    public TunnelInfo connectStaticKeys(String profile, StaticConfig config) throws IOException {
        JsonObject json = JsonParser.parseString(StaticConfigGenerator.toJson(config)).getAsJsonObject();
        json.addProperty("name", profile);
        try (ControlClient client = ControlClient.connect(socket)) {
            client.putProfile(Profile.of(profile, ProfileKind.STATIC_KEY, json), true);
            TunnelInfo up = client.connectTunnel(profile);
            if (up.state() != TunnelState.CONNECTED) {
                throw new IOException("the lab tunnel " + profile + " did not connect: " + up.state()
                        + (up.error() == null ? "" : " (" + up.error() + ")") + "\n" + logTail());
            }
            return up;
        } catch (ControlException e) {
            throw new IOException("the daemon in " + node + " refused the lab profile: " + e.getMessage(), e);
        }
    }

    /** The control socket, for the GUI and the CLI ({@code --socket}). */
    public Path socket() {
        return socket;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** The last lines of the daemon's log, for error messages. */
    public String logTail() {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Ends the daemon by PID: SIGTERM (it takes its tunnel down), then SIGKILL after 10 s. */
    @Override
    public void close() {
        OwnedProcesses.end(process.toHandle(), STOP_GRACE);
    }
}
