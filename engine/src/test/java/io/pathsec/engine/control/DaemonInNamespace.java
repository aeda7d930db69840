package io.pathsec.engine.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network namespace of its own with one outer veth link, and a real daemon process started in
 * it on demand. The namespace name is unique per run; {@link #close()} stops the daemon (SIGTERM,
 * then SIGKILL) and deletes the namespace and the temporary directory, also after a failed test.
 */
final class DaemonInNamespace implements AutoCloseable {
    final String ns;
    final Path dir;
    final Path socket;
    private Process daemon;

    /** A namespace named {@code prefix-xxxxxx} whose link {@code d0} has {@code outerAddress}. */
    DaemonInNamespace(String prefix, String outerAddress) throws IOException, InterruptedException {
        ns = prefix + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        dir = Files.createTempDirectory("pathsec-" + prefix + "-");
        socket = dir.resolve("run/control.sock");
        run("ip", "netns", "add", ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        run("ip", "-n", ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        run("ip", "-n", ns, "addr", "add", outerAddress, "dev", "d0");
        run("ip", "-n", ns, "link", "set", "d0", "up");
        run("ip", "-n", ns, "link", "set", "d1", "up");
    }

    /** Starts the daemon and waits (at most 30 s) for its "ready" line. */
    Process startDaemon() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = log();
        daemon = new ProcessBuilder("ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"),
                ControlDaemonService.class.getName(), socket.toString(), dir.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(log).contains("ready ")) {
            assertTrue(daemon.isAlive(), "the daemon died: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "the daemon did not get ready");
            Thread.sleep(50);
        }
        return daemon;
    }

    Path log() {
        return dir.resolve("daemon.log");
    }

    /** Runs a command in the namespace, which must succeed; returns its output. */
    String exec(String... cmd) throws IOException, InterruptedException {
        return run(Stream.concat(Stream.of("ip", "netns", "exec", ns), Stream.of(cmd)).toArray(String[]::new));
    }

    /** Runs a command in the namespace whose failure is expected or harmless; returns its exit code. */
    int execQuietly(String... cmd) throws IOException, InterruptedException {
        return runQuietly(Stream.concat(Stream.of("ip", "netns", "exec", ns), Stream.of(cmd)).toArray(String[]::new));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (daemon != null && daemon.isAlive()) {
                daemon.destroy();
                if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                    daemon.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            runQuietly("ip", "netns", "del", ns);
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " finished");
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    static int runQuietly(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
