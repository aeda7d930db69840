package io.pathsec.engine.control;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link ControlDaemon} in the foreground until the JVM is asked to stop (SIGTERM,
 * Ctrl-C), then takes its tunnels down before the JVM exits. What {@code pathsec daemon} and the
 * tests' daemon processes run.
 *
 * <pre>
 *   java … io.pathsec.engine.control.ControlDaemonService SOCKET STATE_DIR
 * </pre>
 * Prints {@code ready SOCKET} on stdout once clients can connect.
 */
public final class ControlDaemonService {
    private static final Logger LOG = LoggerFactory.getLogger(ControlDaemonService.class);
    /** systemd's default TimeoutStopSec is 90 s; tearing tunnels down takes far less. */
    private static final long STOP_WAIT_SECONDS = 20;

    private ControlDaemonService() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ControlDaemonService SOCKET STATE_DIR");
            System.exit(2);
        }
        try {
            run(DaemonOptions.standard(Path.of(args[0]), Path.of(args[1]), "dev"), System.out, d -> { });
        } catch (IOException e) {
            System.err.println("daemon failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Starts the daemon and serves until the JVM shuts down.
     *
     * @param started called with the running daemon (to attach a log forwarder)
     */
    public static void run(DaemonOptions options, PrintStream out, Consumer<ControlDaemon> started)
            throws IOException, InterruptedException {
        ControlDaemon daemon = ControlDaemon.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "pathsec-daemon-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        started.accept(daemon);
        out.println("ready " + options.socket());
        out.flush();
        // The hook does the work; this thread only keeps the JVM alive until it has.
        while (!stopped.await(1, TimeUnit.HOURS)) {
            LOG.debug("daemon serving");
        }
        stopped.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
