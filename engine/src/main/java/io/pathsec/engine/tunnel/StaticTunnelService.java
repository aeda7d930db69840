package io.pathsec.engine.tunnel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.pathsec.engine.config.ConfigException;
import io.pathsec.engine.config.LoadedConfig;
import io.pathsec.engine.config.StaticConfig;
import io.pathsec.engine.config.StaticConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Runs one static-key tunnel in the foreground until it is stopped (SIGTERM, Ctrl-C, or the
 * optional duration), writing its {@link TunnelStatus} to a file every second. This is what
 * `pathsec static` and the lab's engine processes run.
 *
 * <pre>
 *   java … io.pathsec.engine.tunnel.StaticTunnelService CONFIG [STATS_FILE]
 * </pre>
 * On stdout it prints one line {@code ready <device>} once the tunnel carries traffic.
 */
public final class StaticTunnelService {
    private static final Logger LOG = LoggerFactory.getLogger(StaticTunnelService.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private StaticTunnelService() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: StaticTunnelService CONFIG [STATS_FILE]");
            System.exit(2);
        }
        try {
            run(Path.of(args[0]), args.length > 1 ? Path.of(args[1]) : null, Duration.ZERO, System.out);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(78);
        } catch (IOException e) {
            System.err.println("tunnel failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Loads, starts and serves the tunnel; returns when stopped.
     *
     * @param duration how long to run; zero runs until the JVM is asked to stop
     */
    public static void run(Path configFile, Path statsFile, Duration duration, PrintStream out)
            throws IOException, ConfigException, InterruptedException {
        LoadedConfig loaded = StaticConfigLoader.load(configFile);
        loaded.warnings().forEach(w -> LOG.warn("{}", w));
        StaticConfig config = loaded.config();
        long start = System.currentTimeMillis();
        try (ShutdownSignal signal = ShutdownSignal.install(5);
             StaticTunnel tunnel = StaticTunnel.start(config)) {
            out.println("ready " + tunnel.deviceName());
            out.flush();
            long deadline = duration.isZero() ? Long.MAX_VALUE : start + duration.toMillis();
            do {
                if (statsFile != null) {
                    writeAtomically(statsFile, GSON.toJson(TunnelStatus.of(tunnel, System.currentTimeMillis() - start)));
                }
            } while (!signal.awaitStop(Math.min(1000, Math.max(1, deadline - System.currentTimeMillis())))
                    && System.currentTimeMillis() < deadline);
        }
    }

    /** Readers never see a half-written file. */
    public static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
