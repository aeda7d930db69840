package io.pathsec.engine.lab;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external program (ip, nft, tc, sysctl, ping …) to completion within a time limit.
 *
 * <p>Output goes to temporary files rather than pipes: a pipe nobody drains can block the child,
 * and a grandchild that inherits a pipe can keep a reader waiting after the child exited.
 */
final class ExternalCommand {

    /** Enough for any ip/nft/tc call; long-running work uses an explicit timeout. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private ExternalCommand() {
    }

    /**
     * Runs {@code command}, feeding it {@code stdin} (may be null), and returns its result whatever
     * the exit code.
     *
     * @throws IOException if it cannot start or does not finish within {@code timeout}; it is then
     *                     killed by PID
     */
    static ProcessResult run(List<String> command, String stdin, Duration timeout) throws IOException {
        Path out = Files.createTempFile("pathsec-lab-", ".out");
        Path err = Files.createTempFile("pathsec-lab-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (stdin == null) {
                builder.redirectInput(new File("/dev/null"));
            }
            Process process = builder.start();
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!waitFor(process, timeout)) {
                OwnedProcesses.end(process.toHandle(), Duration.ofSeconds(1));
                throw new IOException("timed out after " + timeout.toMillis() + " ms: "
                        + String.join(" ", command));
            }
            return new ProcessResult(command, process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Like {@link #run} but a non-zero exit raises an IOException naming the command and its stderr. */
    static ProcessResult runChecked(List<String> command, String stdin, Duration timeout) throws IOException {
        ProcessResult result = run(command, stdin, timeout);
        if (!result.succeeded()) {
            throw new IOException(result.describe()
                    + (stdin == null ? "" : "\n--- input ---\n" + stdin));
        }
        return result;
    }

    private static boolean waitFor(Process process, Duration timeout) throws IOException {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            OwnedProcesses.end(process.toHandle(), Duration.ofSeconds(1));
            throw new IOException("interrupted while waiting for " + process.info().commandLine().orElse("?"), e);
        }
    }
}
