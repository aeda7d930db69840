package io.pathsec.engine.lab;

import io.pathsec.engine.testsupport.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What happens to namespaces and processes when things go wrong: failed create, timeouts, JVM death. */
@RequiresRoot
class LabLifecycleTest {

    @TempDir
    Path tmp;

    /**
     * A delay needs sch_netem. Where the kernel lacks it, create fails after building everything
     * and must leave nothing behind; where it has it, the lab comes up with the delay.
     */
    @Test
    void failedCreateLeavesNoNamespaces() throws IOException {
        List<String> before = ours();
        LabOptions delayed = LabOptions.defaults().withDelay(Duration.ofMillis(20));
        try (LabTopology lab = LabTopology.create(delayed)) {
            assertEquals(Duration.ofMillis(20), lab.options().delay());
        } catch (IOException e) {
            assertTrue(e.getMessage().contains("netem"), e.getMessage());
        }
        assertEquals(before, ours());
    }

    @Test
    void execIsBoundedByItsTimeout() throws IOException {
        try (LabTopology lab = LabTopology.create(LabOptions.defaults())) {
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class,
                    () -> lab.exec(LabNode.E1, Duration.ofMillis(300), "sleep", "30"));
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
            ProcessResult fails = lab.exec(LabNode.E1, "sh", "-c", "echo out; echo err >&2; exit 3");
            assertEquals(3, fails.exitCode());
            assertEquals("out\n", fails.stdout());
            assertEquals("err\n", fails.stderr());
        }
    }

    @Test
    void sigtermRunsTheShutdownHook() throws Exception {
        Child child = startChild("term");
        try {
            child.process.destroy(); // SIGTERM
            assertTrue(child.process.waitFor(20, TimeUnit.SECONDS), "child JVM did not exit on SIGTERM");
            assertFalse(Netns.exists(child.namespace), child.namespace + " survived SIGTERM");
        } finally {
            child.end();
        }
    }

    @Test
    void sigkillLeftoversAreRemovedByTheNextCleanStale() throws Exception {
        Child child = startChild("kill");
        try {
            child.process.destroyForcibly(); // SIGKILL: no hook runs
            assertTrue(child.process.waitFor(10, TimeUnit.SECONDS));
            assertTrue(Netns.exists(child.namespace), "expected leftovers after SIGKILL");
            List<String> removed = LabTopology.cleanStale();
            assertTrue(removed.contains(child.namespace), removed.toString());
            assertFalse(Netns.exists(child.namespace));
        } finally {
            child.end();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private record Child(Process process, String namespace) {
        /** Ends the child by PID and removes anything it left, whatever the test's outcome. */
        void end() throws IOException {
            OwnedProcesses.end(process.toHandle(), Duration.ofSeconds(5));
            LabTopology.cleanStale();
        }
    }

    /** Starts {@link LabChild} in a new JVM on this test's class path and waits for its lab. */
    private Child startChild(String label) throws IOException, InterruptedException {
        Path log = tmp.resolve("child-" + label + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LabChild.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int round = 0; round < 600 && System.nanoTime() < deadline; round++) {
            String output = Files.readString(log, StandardCharsets.UTF_8);
            int ready = output.indexOf("READY ");
            if (ready >= 0 && output.indexOf('\n', ready) > 0) {
                String namespace = output.substring(ready + 6, output.indexOf('\n', ready)).strip();
                return new Child(process, namespace);
            }
            if (!process.isAlive()) {
                fail("child JVM exited early: " + output);
            }
            Thread.sleep(50);
        }
        OwnedProcesses.end(process.toHandle(), Duration.ofSeconds(5));
        fail("child JVM never reported its lab: " + Files.readString(log, StandardCharsets.UTF_8));
        return null;
    }

    /** This JVM's lab namespaces. */
    private static List<String> ours() throws IOException {
        String prefix = "ps" + ProcessHandle.current().pid() + "-";
        return Netns.list().stream().filter(n -> n.startsWith(prefix)).sorted().collect(Collectors.toList());
    }
}
