package io.pathsec.engine.ike.session;

import com.google.gson.Gson;
import com.google.gson.JsonSyntaxException;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabTopology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An IkeTunnelService or IkeGatewayService process in a lab node: writes its JSON profile,
 * starts it (the topology owns it too), reads its status file, and ends it by PID with SIGTERM.
 */
public final class IkeLabProcess<S> implements AutoCloseable {
    private static final Gson GSON = new Gson();

    private final Process process;
    private final Path status;
    private final Path log;
    private final Class<S> statusType;

    private IkeLabProcess(Process process, Path status, Path log, Class<S> statusType) {
        this.process = process;
        this.status = status;
        this.log = log;
        this.statusType = statusType;
    }

    public static <S> IkeLabProcess<S> start(LabTopology lab, LabNode node, Class<?> mainClass, Map<String, Object> profile,
                                      Path dir, String tag, Class<S> statusType) throws IOException {
        return start(lab, node, mainClass, profile, dir, tag, statusType, List.of());
    }

    /**
     * As above, with extra JVM options (system properties such as {@code -Dpathsec.icmp.handling=implicit});
     * they come after the defaults, so {@code -XX:TieredStopAtLevel=4} lifts the C1-only default
     * where throughput is measured.
     */
    public static <S> IkeLabProcess<S> start(LabTopology lab, LabNode node, Class<?> mainClass, Map<String, Object> profile,
                                      Path dir, String tag, Class<S> statusType, List<String> jvmOptions)
            throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(tag + ".json");
        Files.writeString(file, GSON.toJson(profile));
        Path status = dir.resolve(tag + ".status.json");
        Path log = dir.resolve(tag + ".log");
        Files.deleteIfExists(status);
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx192m",
                "-cp", System.getProperty("java.class.path"), mainClass.getName(), file.toString(), status.toString()));
        cmd.addAll(4, jvmOptions); // after the defaults: a later -XX option wins
        return new IkeLabProcess<>(lab.start(node, cmd, log), status, log, statusType);
    }

    /** The last status written, or null. */
    public S status() {
        try {
            return Files.exists(status) ? GSON.fromJson(Files.readString(status), statusType) : null;
        } catch (IOException | JsonSyntaxException e) {
            return null; // written atomically, so only a missing file; try again
        }
    }

    /** Polls the status until {@code done} holds, bounded by {@code timeout}; the last status either way. */
    public S await(Predicate<S> done, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        S last = status();
        while (System.nanoTime() < deadline && (last == null || !done.test(last))) {
            if (!process.isAlive()) {
                last = status(); // its final status is written before it exits
                if (last != null && done.test(last)) {
                    return last;
                }
                throw new IOException("the process exited with " + process.exitValue() + ":\n" + logTail());
            }
            Thread.sleep(100); // polling a file another process writes; bounded by the deadline
            last = status();
        }
        return last;
    }

    public String statusText() {
        try {
            return Files.exists(status) ? Files.readString(status) : "(no status)";
        } catch (IOException e) {
            return "";
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())) + "\n";
        } catch (IOException e) {
            return "";
        }
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether the process still runs (a gateway must survive what its clients do). */
    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL by PID: the engine gets no chance to delete its SAs (a crash). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the service deletes its IKE SAs and removes its TUN
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
