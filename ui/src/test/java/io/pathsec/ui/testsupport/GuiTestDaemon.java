package io.pathsec.ui.testsupport;

import io.pathsec.engine.control.ControlDaemon;
import io.pathsec.engine.control.DaemonOptions;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real PathSec daemon in this JVM on a temporary socket and state directory, with in-memory
 * tunnels, plus a client for the test to seed and inspect it behind the GUI's back.
 */
public final class GuiTestDaemon implements AutoCloseable {
    public final Path dir;
    public final Path socket;
    public final InMemoryTunnels tunnels = new InMemoryTunnels();
    public ControlDaemon daemon;
    public ControlClient client;

    public GuiTestDaemon() throws IOException {
        dir = Files.createTempDirectory("pathsec-gui-");
        socket = dir.resolve("run/control.sock");
        start();
    }

    private void start() throws IOException {
        daemon = ControlDaemon.start(DaemonOptions.standard(socket, dir.resolve("state"), "gui-test")
                .withStarter(tunnels));
        client = ControlClient.connect(socket);
    }

    /** Stops the daemon; {@link #restart()} brings it back on the same socket and profiles. */
    public void stop() {
        client.close();
        daemon.close();
    }

    public void restart() throws IOException {
        start();
    }

    public void addStaticKey(String name, String tun) throws Exception {
        client.putProfile(Profile.of(name, ProfileKind.STATIC_KEY, TestProfiles.staticKey(name, tun, "198.51.100.71",
                "198.51.100.72", "10.77.0.0/24", "10.78.0.0/24")), false);
    }

    @Override
    public void close() throws IOException {
        stop();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
