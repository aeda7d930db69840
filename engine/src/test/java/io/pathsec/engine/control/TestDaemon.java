package io.pathsec.engine.control;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A daemon on a temporary socket and state directory, with its log captured. */
final class TestDaemon implements AutoCloseable {
    final Path dir;
    final Path socket;
    final Path stateDir;
    final FakeTunnelStarter tunnels = new FakeTunnelStarter();
    final ControlDaemon daemon;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    TestDaemon() throws IOException {
        this(null, "rw-rw----");
    }

    /** @param access null for the standard rule (root, this user, group pathsec) */
    TestDaemon(PeerAccess access, String socketMode) throws IOException {
        dir = Files.createTempDirectory("pathsec-control-");
        // Traversable by other users, so the permission test reaches the credential check.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        socket = dir.resolve("run/control.sock");
        stateDir = dir.resolve("state");
        log.start();
        root().addAppender(log);
        DaemonOptions options = DaemonOptions.standard(socket, stateDir, "test").withStarter(tunnels);
        if (access != null) {
            options = options.withAccess(access, socketMode);
            Files.createDirectories(socket.getParent());
            Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        daemon = ControlDaemon.start(options);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** Every log line so far, formatted with its arguments. */
    List<String> logLines() {
        synchronized (log) {
            return log.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).toList();
        }
    }

    @Override
    public void close() throws IOException {
        daemon.close();
        root().detachAppender(log);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
