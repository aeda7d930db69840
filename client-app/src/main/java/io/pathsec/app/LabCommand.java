package io.pathsec.app;

import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.lab.LabTunnel;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.ui.GuiLauncher;
import io.pathsec.ui.GuiOptions;
import javafx.application.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code pathsec lab}: the whole product on one machine. Builds E1 — G1 — R1 — R2 — G2 — E2 in
 * network namespaces, runs a PathSec engine on each gateway, pushes verified bulk TCP from E1 to
 * E2 through the tunnel and shows both engines' counters every second.
 */
@Command(name = "lab",
        description = {"Build the lab (E1 - G1 - R1 - R2 - G2 - E2 in network namespaces), start PathSec on G1 and G2,",
                "send bulk TCP from E1 to E2 through the tunnel and show live counters. Needs root.",
                "With a display: the PathSec window on G1's daemon, with a lab panel that changes the path",
                "(MTU, ICMP black hole, MSS clamping, loss) and starts transfers.",
                "Everything is removed when it ends (Ctrl-C or --duration)."},
        mixinStandardHelpOptions = true)
final class LabCommand implements Callable<Integer> {

    @Option(names = "--headless", description = "terminal view only (the default where there is no display)")
    boolean headless;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "stop after this many seconds (default: run until Ctrl-C)")
    long durationSeconds;

    @Option(names = "--mode", defaultValue = "tunnel", paramLabel = "tunnel|transport",
            description = "tunnel: G1 and G2 protect E1's and E2's networks; transport: host to host G1 <-> G2 (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--transform", defaultValue = "aes256gcm16", paramLabel = "NAME",
            description = "ESP transform: aes128gcm16, aes256gcm16, chacha20poly1305, aes128-sha256, aes256-sha256 (default: ${DEFAULT-VALUE})")
    String transform;

    @Option(names = "--ipv6", description = "IPv6 inside the tunnel (and, in transport mode, on the outer path)")
    boolean ipv6;

    @Option(names = "--path-mtu", defaultValue = "1500", paramLabel = "BYTES",
            description = "MTU of the R1 - R2 link (default: ${DEFAULT-VALUE})")
    int pathMtu;

    @Option(names = "--bytes", defaultValue = "200000000", paramLabel = "N",
            description = "size of each verified transfer; transfers repeat until the end (default: ${DEFAULT-VALUE}; "
                    + "in the window, where the panel starts them: 2 GB)")
    long bytes;

    /** The desktop lab's transfer when --bytes is not given: about a minute at lab speeds. */
    static final long DESKTOP_TRANSFER_BYTES = 2_000_000_000L;

    @Spec
    CommandSpec spec;

    @Option(names = "--screenshot-dir", paramLabel = "DIR",
            description = "with a display: photograph the lab window to DIR/lab.png once a black hole was detected, then end")
    Path screenshotDir;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (!Privileges.canAdministerNetwork()) {
            System.err.println("pathsec lab: needs root to create network namespaces; run: sudo ./pathsec lab --headless");
            return ExitCodes.NO_PERMISSION;
        }
        IpsecMode ipsecMode = parseMode(mode);
        Path work = Files.createTempDirectory("pathsec-lab-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (!headless && DesktopDisplay.present()) {
            return runDesktop(ipsecMode, work, out);
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(finished);
        }, "lab-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (LabTopology lab = LabTopology.create(LabOptions.defaults().withPathMtu(pathMtu))) {
            out.printf("lab up: %s%n", describe(lab, ipsecMode));
            try (LabTunnel tunnel = LabTunnel.start(lab, ipsecMode, transform, ipv6, work)) {
                out.printf("PathSec G1 <-> G2 up (%s mode, %s, static keys)%n", mode, transform);
                return new LabDashboard(lab, tunnel, ipsecMode, ipv6, bytes, work, out)
                        .run(durationSeconds == 0 ? Duration.ZERO : Duration.ofSeconds(durationSeconds), stop);
            }
        } finally {
            deleteRecursively(work);
            out.println("lab removed (namespaces, engines, keys)");
            finished.countDown();
            removeHook(hook);
        }
    }

    /**
     * The desktop lab: G1's tunnel held by a daemon in G1's namespace, the window on it with the
     * lab panel. Returns when the window closes; Ctrl-C closes the window and the lab.
     */
    private int runDesktop(IpsecMode ipsecMode, Path work, PrintStream out) throws IOException {
        LabRemoval removal = new LabRemoval(work, out);
        // Ctrl-C: the hook removes the lab itself rather than wait for the main thread, which
        // may be inside the JavaFX launcher until the JVM halts.
        Thread hook = new Thread(() -> {
            exitWindowWithin(Duration.ofSeconds(2));
            removal.run();
        }, "lab-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        LabOptions options = LabOptions.defaults().withPathMtu(pathMtu);
        // A panel transfer runs until stopped, unless the user asked for a size: the terminal's
        // 200 MB would be over in seconds, before anything on the path was changed.
        long transferBytes = spec.commandLine().getParseResult().hasMatchedOption("--bytes") ? bytes
                : DESKTOP_TRANSFER_BYTES;
        try {
            LabDesktop desktop = LabDesktop.start(options, ipsecMode, transform, ipv6, transferBytes, work,
                    lab -> describeShort(lab, ipsecMode));
            removal.track(desktop);
            out.printf("lab up: %s%n", describe(desktop.topology(), ipsecMode));
            out.printf("PathSec daemon in G1 (pid %d, socket %s) holds the lab tunnel as profile \"%s\", connected; "
                    + "G2 runs the engine%n", desktop.daemonPid(), desktop.socket(), LabDesktop.PROFILE);
            out.println("opening the window; close it or press Ctrl-C to remove the lab");
            if (durationSeconds > 0) {
                Thread timer = new Thread(() -> {
                    try {
                        Thread.sleep(Duration.ofSeconds(durationSeconds).toMillis()); // the lab's lifetime, asked for
                        exitWindow();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "lab-duration");
                timer.setDaemon(true);
                timer.start();
            }
            GuiLauncher.launch(new GuiOptions(desktop.socket(), screenshotDir, PathSecVersion.current(),
                    desktop.controls()));
            return ExitCodes.OK;
        } finally {
            removal.run();
            removeHook(hook);
        }
    }

    /**
     * From the shutdown hook: Platform.exit() while the toolkit is still starting may wait for
     * the FX thread, and a hook that never ends keeps the JVM from halting (the main thread sits
     * in System.exit by then). So it runs beside the hook, which waits for it a bounded time.
     */
    private static void exitWindowWithin(Duration limit) {
        Thread exit = new Thread(LabCommand::exitWindow, "lab-exit-window");
        exit.setDaemon(true);
        exit.start();
        try {
            exit.join(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void exitWindow() {
        try {
            Platform.exit();
        } catch (RuntimeException notStarted) {
            // the toolkit never started: nothing to close
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is what brought us here
        }
    }

    static IpsecMode parseMode(String mode) {
        return switch (mode) {
            case "tunnel" -> IpsecMode.TUNNEL;
            case "transport" -> IpsecMode.TRANSPORT;
            default -> throw new IllegalArgumentException("--mode must be tunnel or transport, not " + mode);
        };
    }

    private String describe(LabTopology lab, IpsecMode ipsecMode) {
        InetAddress g1 = lab.outerAddress(LabNode.G1, false);
        InetAddress g2 = lab.outerAddress(LabNode.G2, false);
        return String.format("E1 %s - G1 %s = R1 - R2 (mtu %d) = G2 %s - E2 %s",
                lab.protectedAddress(LabNode.E1, ipv6).getHostAddress(), g1.getHostAddress(), pathMtu,
                g2.getHostAddress(), lab.protectedAddress(LabNode.E2, ipv6).getHostAddress())
                + (ipsecMode == IpsecMode.TRANSPORT ? " (transport mode: traffic G1 -> G2)" : "");
    }

    /** The lab in one line for the panel: the flow's ends, the mode and the transform. */
    private String describeShort(LabTopology lab, IpsecMode ipsecMode) {
        LabFlow flow = LabFlow.of(lab, ipsecMode, ipv6);
        return "E1 — G1 — R1 — R2 — G2 — E2; traffic " + flow.from() + " "
                + flow.source().getHostAddress() + " → " + flow.to() + " "
                + flow.target().getHostAddress() + ", " + mode + " mode, " + transform;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Repeats verified transfers and prints one line of counters per second. */
    static final class LabDashboard {
        private final LabTopology lab;
        private final LabTunnel tunnel;
        private final IpsecMode mode;
        private final boolean ipv6;
        private final long bytes;
        private final Path work;
        private final PrintStream out;

        LabDashboard(LabTopology lab, LabTunnel tunnel, IpsecMode mode, boolean ipv6, long bytes, Path work,
                     PrintStream out) {
            this.lab = lab;
            this.tunnel = tunnel;
            this.mode = mode;
            this.ipv6 = ipv6;
            this.bytes = bytes;
            this.work = work;
            this.out = out;
        }

        int run(Duration duration, CountDownLatch stop) throws IOException, InterruptedException {
            LabFlow flow = LabFlow.of(lab, mode, ipv6);
            LabNode from = flow.from();
            LabNode to = flow.to();
            InetAddress target = flow.target();
            long end = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            LiveCounters counters = new LiveCounters(tunnel);
            int transfers = 0;
            int failures = 0;
            out.printf("transfers of %d MB %s -> %s (%s); Ctrl-C to stop%n", bytes / 1_000_000, from, to,
                    target.getHostAddress());
            out.println(LiveCounters.HEADER);
            while (System.nanoTime() < end && stop.getCount() > 0) {
                LabTransfer transfer = LabTransfer.start(lab, from, to, target, bytes, work);
                transfers++;
                try {
                    while (!transfer.isFinished() && System.nanoTime() < end
                            && !stop.await(1, TimeUnit.SECONDS)) {
                        out.println(counters.line(transfer));
                        if (!tunnel.isRunning(LabNode.G1) || !tunnel.isRunning(LabNode.G2)) {
                            out.println("an engine stopped:\n" + tunnel.logTail(LabNode.G1) + "\n" + tunnel.logTail(LabNode.G2));
                            return ExitCodes.FAILURE;
                        }
                    }
                    if (!transfer.isFinished()) {
                        break; // stopped mid-transfer: nothing to verify
                    }
                    LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(5));
                    if (outcome.verified()) {
                        out.printf("transfer %d: %d MB verified (SHA-256 %s… equal on E1 and E2) in %.1f s%n",
                                transfers, outcome.received().bytes() / 1_000_000,
                                outcome.received().sha256().substring(0, 16), outcome.received().seconds());
                    } else {
                        failures++;
                        out.printf("transfer %d FAILED: sent %s, received %s%n", transfers, outcome.sent(), outcome.received());
                    }
                } finally {
                    transfer.close();
                }
            }
            out.println(counters.summary());
            return failures == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
