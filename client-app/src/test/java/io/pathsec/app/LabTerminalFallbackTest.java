package io.pathsec.app;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code pathsec lab} where there is no display (no DISPLAY, no WAYLAND_DISPLAY, no --headless):
 * a separate JVM, as a user starts it over ssh, runs the terminal view, verifies its transfers
 * and removes the lab.
 */
@Tag("netns")
@Timeout(120)
class LabTerminalFallbackTest {
    @Test
    void withoutADisplayTheLabRunsInTheTerminal() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: the lab needs root");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                PathSec.class.getName(), "lab", "--duration", "6", "--bytes", "5000000"))
                .redirectErrorStream(true);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the lab ended: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("transfers of 5 MB E1 -> E2"), out);
        assertTrue(out.contains("verified (SHA-256"), "at least one transfer verified: " + out);
        assertTrue(out.contains("lab removed"), out);
        assertFalse(out.contains("opening the window"), "no window without a display: " + out);
    }
}
