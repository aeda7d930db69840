package io.pathsec.app;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code pathsec lab} with a window, in a JVM of its own (Monocle's headless glass stands in for
 * the display): when the window closes, and when the process is told to stop as Ctrl-C does,
 * the lab's namespaces, G1's daemon and the directory with the keys are all gone.
 */
@Tag("netns")
@Timeout(180)
class LabWindowTeardownTest {
    private static final Pattern DAEMON = Pattern.compile("PathSec daemon in G1 \\(pid (\\d+), socket (/tmp/pathsec-lab-\\d+)/");

    @Test
    void closingTheWindowRemovesTheLab() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: the lab needs root");
        Lab lab = Lab.start("--duration", "5"); // the window closes itself after 5 s
        lab.awaitExit();
        lab.assertRemoved();
    }

    @Test
    void aStopSignalRemovesTheLab() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: the lab needs root");
        Lab lab = Lab.start();
        lab.process.destroy(); // SIGTERM: the same shutdown path as Ctrl-C's SIGINT
        lab.awaitExit();
        lab.assertRemoved();
    }

    private static final class Lab {
        final Process process;
        final Path log;
        long daemonPid;
        Path work;

        private Lab(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static Lab start(String... extra) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Dglass.platform=Monocle",
                    "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Djava.awt.headless=true",
                    "-Djava.util.prefs.userRoot=" + System.getProperty("java.util.prefs.userRoot", "/tmp"),
                    "-cp", System.getProperty("java.class.path"), PathSec.class.getName(), "lab"));
            command.addAll(List.of(extra));
            Path log = Files.createTempFile("lab-window-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().remove("DISPLAY");
            pb.environment().remove("WAYLAND_DISPLAY");
            Lab lab = new Lab(pb.start(), log);
            lab.awaitWindow();
            return lab;
        }

        /** Bounded poll of the child's output for the line that names the daemon. */
        private void awaitWindow() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String out = output();
                Matcher m = DAEMON.matcher(out);
                if (m.find() && out.contains("opening the window")) {
                    daemonPid = Long.parseLong(m.group(1));
                    work = Path.of(m.group(2));
                    assertTrue(ProcessHandle.of(daemonPid).map(ProcessHandle::isAlive).orElse(false),
                            "G1's daemon runs");
                    assertTrue(Files.isDirectory(work));
                    return;
                }
                assertTrue(process.isAlive(), "the lab ended early:\n" + out);
                process.waitFor(200, TimeUnit.MILLISECONDS); // wakes early if it exits
            }
            throw new AssertionError("no window within 60 s:\n" + output());
        }

        void awaitExit() throws Exception {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the lab did not end within 60 s:\n" + output());
            }
        }

        void assertRemoved() throws Exception {
            String out = output();
            assertTrue(out.contains("lab removed (namespaces, daemon, engines, keys)"), out);
            assertFalse(ProcessHandle.of(daemonPid).map(ProcessHandle::isAlive).orElse(false), "daemon ended");
            assertFalse(Files.exists(work), "the keys' directory is deleted");
            String namespaces = run("ip", "netns", "list");
            assertFalse(namespaces.contains("ps" + process.pid() + "-"), "namespaces removed: " + namespaces);
            Files.deleteIfExists(log);
        }

        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
