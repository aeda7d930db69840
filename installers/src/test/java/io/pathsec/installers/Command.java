package io.pathsec.installers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one external command to completion and keeps its exit code and combined output. */
record Command(List<String> argv, int exitCode, String output) {

    static Command run(String... argv) {
        return run(Map.of(), List.of(argv));
    }

    static Command run(Map<String, String> env, List<String> argv) {
        try {
            Path out = Files.createTempFile("pathsec-installers-", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                // Generous: dpkg unpacking 100 MB on a busy 2-core machine is slow.
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out: " + argv);
                }
                return new Command(argv, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + argv + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + argv, e);
        }
    }

    /** This command's output, failing the test with the whole transcript if it did not exit 0. */
    String ok() {
        if (exitCode != 0) {
            throw new AssertionError(String.join(" ", argv) + " exited " + exitCode + ":\n" + output);
        }
        return output;
    }
}
