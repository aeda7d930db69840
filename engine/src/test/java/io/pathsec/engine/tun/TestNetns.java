package io.pathsec.engine.tun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace owned by one test: a unique name {@code pstun-<pid>-<n>} so parallel
 * runs and other worktrees never collide, created by {@code ip netns add} and always deleted by
 * {@link #close()} (use try-with-resources or @AfterEach). Every child process is bounded in time.
 */
final class TestNetns implements AutoCloseable {

    private static final AtomicInteger COUNT = new AtomicInteger();
    static final long COMMAND_TIMEOUT_SECONDS = 10;

    final String name;

    private TestNetns(String name) {
        this.name = name;
    }

    static TestNetns create() throws IOException, InterruptedException {
        TestNetns netns = new TestNetns("pstun-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet());
        run("ip", "netns", "add", netns.name);
        return netns;
    }

    /** {@code ip -n NAME args...}; returns stdout+stderr, throws unless it exits 0. */
    String ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** Starts {@code ip netns exec NAME args...}, output merged; the caller waits, bounded. */
    Process exec(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Runs {@code ip netns exec NAME args...} to completion; returns exit status and output. */
    Result execAndWait(String... args) throws IOException, InterruptedException {
        return await(exec(args), String.join(" ", args));
    }

    record Result(int exitCode, String output) {
    }

    static Result await(Process process, String what) throws IOException, InterruptedException {
        if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(what + ": still running after " + COMMAND_TIMEOUT_SECONDS + " s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Result result = await(process, String.join(" ", command));
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.output());
        }
        return result.output();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("ip", "netns", "del", name);
    }
}
