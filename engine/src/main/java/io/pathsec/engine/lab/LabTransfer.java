package io.pathsec.engine.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A bulk TCP transfer between two lab nodes, each end a {@link TransferEndpoint} process in
 * its node's namespace: real kernel TCP, verified by comparing SHA-256 digests of what was sent
 * and what arrived.
 */
public final class LabTransfer implements AutoCloseable {
    public static final int PORT = 5201;
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(20);

    private final Process sink;
    private final Process source;
    private final Path sinkLog;
    private final Path sourceLog;
    private final long bytes;

    private LabTransfer(Process sink, Process source, Path sinkLog, Path sourceLog, long bytes) {
        this.sink = sink;
        this.source = source;
        this.sinkLog = sinkLog;
        this.sourceLog = sourceLog;
        this.bytes = bytes;
    }

    /** The outcome: both digests and sizes. {@link #verified()} says whether they match. */
    public record Outcome(TransferEndpoint.Result sent, TransferEndpoint.Result received) {
        public boolean verified() {
            return sent != null && received != null && sent.bytes() == received.bytes()
                    && sent.sha256().equals(received.sha256());
        }
    }

    /**
     * Starts the receiving end in {@code to}, listening on {@code toAddress}, waits until it
     * listens, then starts the sending end in {@code from}.
     */
    public static LabTransfer start(LabTopology lab, LabNode from, LabNode to, InetAddress toAddress,
                                    long bytes, Path workDir) throws IOException {
        String tag = from.name().toLowerCase() + "-" + to.name().toLowerCase();
        Path sinkLog = workDir.resolve("transfer-" + tag + "-sink.log");
        Path sourceLog = workDir.resolve("transfer-" + tag + "-source.log");
        Files.deleteIfExists(sinkLog);
        Files.deleteIfExists(sourceLog);
        String address = toAddress.getHostAddress();
        Process sink = lab.start(to, EngineLauncher.javaCommand(TransferEndpoint.class, "sink", address,
                Integer.toString(PORT)), sinkLog);
        long deadline = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
        while (lastEvent(sinkLog, "listening").isEmpty()) {
            if (!sink.isAlive() || System.nanoTime() > deadline) {
                sink.destroyForcibly();
                throw new IOException("transfer receiver in " + to + " did not start listening on "
                        + address + ": " + String.join("\n", readLines(sinkLog)));
            }
            pause();
        }
        Process source = lab.start(from, EngineLauncher.javaCommand(TransferEndpoint.class, "source", address,
                Integer.toString(PORT), Long.toString(bytes)), sourceLog);
        return new LabTransfer(sink, source, sinkLog, sourceLog, bytes);
    }

    /** Bytes the sender has written so far (from its progress lines, about once a second). */
    public long bytesSent() {
        return lastEvent(sourceLog, "\"done\"").or(() -> lastEvent(sourceLog, "progress"))
                .map(line -> TransferEndpoint.Result.parse(line).bytes()).orElse(0L);
    }

    public long totalBytes() {
        return bytes;
    }

    public boolean isFinished() {
        return !source.isAlive() && !sink.isAlive();
    }

    /** Waits for both ends, at most {@code timeout}; a transfer that does not finish fails. */
    public Outcome await(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Process p : List.of(source, sink)) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!p.waitFor(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                close();
                throw new IOException("transfer did not finish within " + timeout.toSeconds() + " s; sent "
                        + bytesSent() + " of " + bytes + " bytes");
            }
        }
        return new Outcome(result(sourceLog), result(sinkLog));
    }

    private static TransferEndpoint.Result result(Path log) {
        return lastEvent(log, "\"done\"").map(TransferEndpoint.Result::parse).orElse(null);
    }

    private static Optional<String> lastEvent(Path log, String marker) {
        List<String> lines = readLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.startsWith("{") && line.contains(marker)) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }

    private static List<String> readLines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(50); // polling another process's log; bounded by the caller's deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void close() {
        for (Process p : List.of(source, sink)) {
            OwnedProcesses.end(p.toHandle(), Duration.ofSeconds(2));
        }
    }
}
