package io.pathsec.engine.control;

import io.pathsec.engine.testsupport.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SO_PEERCRED in earnest: the probe ({@link RawClient#main}) runs as another user in its own
 * process (credentials are per process, not per thread), through {@code setpriv}. The socket is
 * opened to everyone (mode 0666) so that only the daemon's own check stands in the way.
 */
@RequiresRoot
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeerCredentialsTest {
    /** A gid no real group uses, standing in for the group {@code pathsec}. */
    private static final int GROUP = 48611;
    private static final int NOBODY = 65534;

    private TestDaemon d;

    @BeforeAll
    void start() throws IOException {
        d = new TestDaemon(PeerAccess.forGroupId(GROUP), "rw-rw-rw-");
    }

    @AfterAll
    void stop() throws IOException {
        if (d != null) {
            d.close();
        }
    }

    /** Runs the probe as uid 65534 with the given setpriv group options; returns its output. */
    private String probeAs(String... groupOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY));
        cmd.addAll(List.of(groupOptions));
        String classes = Path.of(RawClient.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        cmd.addAll(List.of("--", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-cp", classes, RawClient.class.getName(), d.socket.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe finished");
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void anotherUserOutsideTheGroupIsRefusedAndLogged() throws Exception {
        String out = probeAs("--regid=" + NOBODY, "--clear-groups");
        assertTrue(out.contains("\"PERMISSION_DENIED\""), out);
        assertTrue(d.logLines().stream().anyMatch(l -> l.startsWith("WARN control connection refused: uid " + NOBODY)),
                "refusal logged: " + d.logLines());
    }

    @Test
    void aMemberByPrimaryGroupIsServed() throws Exception {
        String out = probeAs("--regid=" + GROUP, "--clear-groups");
        assertTrue(out.contains("\"result\"") && out.contains("\"uid\":" + NOBODY), out);
    }

    @Test
    void aMemberBySupplementaryGroupIsServed() throws Exception {
        String out = probeAs("--regid=" + NOBODY, "--groups=" + GROUP);
        assertTrue(out.contains("\"result\"") && out.contains("\"uid\":" + NOBODY), out);
    }
}
