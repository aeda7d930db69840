package io.pathsec.engine.tun;

import io.pathsec.engine.testsupport.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@RequiresRoot
class NetnsThreadTest {

    private TestNetns netns;

    @BeforeEach
    void create() throws Exception {
        netns = TestNetns.create();
    }

    @AfterEach
    void delete() throws Exception {
        netns.close();
    }

    /** What {@code ip netns exec} reports is the namespace our thread entered; ours is unchanged. */
    @Test
    void callRunsInTheNamedNamespaceAndLeavesTheCallerWhereItWas() throws Exception {
        String ours = LinuxInterfaceConfig.currentNetns();
        String inside = NetnsThread.call(netns.name, LinuxInterfaceConfig::currentNetns);
        String expected = netns.execAndWait("readlink", "/proc/self/ns/net").output().trim();
        assertEquals(expected, inside);
        assertNotEquals(ours, inside);
        assertEquals(ours, LinuxInterfaceConfig.currentNetns());
    }

    @Test
    void startReturnsAThreadAlreadyInsideTheNamespace() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        Thread thread = NetnsThread.start(netns.name, () -> seen.complete(LinuxInterfaceConfig.currentNetns()));
        String expected = netns.execAndWait("readlink", "/proc/self/ns/net").output().trim();
        assertEquals(expected, seen.get(5, TimeUnit.SECONDS));
        thread.join(5000);
        assertFalse(thread.isAlive());
    }

    @Test
    void aMissingNamespaceFailsAndTheTaskNeverRuns() {
        AtomicBoolean ran = new AtomicBoolean();
        IOException call = assertThrows(IOException.class,
                () -> NetnsThread.call("pstun-does-not-exist", () -> ran.getAndSet(true)));
        assertTrue(call.getMessage().contains("No such file or directory"), call.getMessage());
        assertThrows(IOException.class, () -> NetnsThread.start("pstun-does-not-exist", () -> ran.set(true)));
        assertFalse(ran.get());
    }

    @Test
    void aPathIsAcceptedAsWellAsAName() throws Exception {
        String ours = LinuxInterfaceConfig.currentNetns();
        String self = NetnsThread.call("/proc/self/ns/net", LinuxInterfaceConfig::currentNetns);
        assertEquals(ours, self);
        assertTrue(Files.exists(Path.of("/run/netns", netns.name)));
    }
}
