package io.pathsec.engine.icmp;

import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.lab.LabTunnel;
import io.pathsec.engine.pmtu.IcmpRejection;
import io.pathsec.engine.pmtu.PmtuSource;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.tunnel.TunnelStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 4301 §6.1.1 in the lab: with an unprotected-side table that rejects Fragmentation Needed
 * (4/3/4), R1's real Frag Needed for G1's ESP (outer path MTU 1400) is counted and never used:
 * classic PMTUD learns nothing, and the transfer still completes because black-hole detection
 * recovers on its own. (The default table, which accepts it, is PmtuLabTest's classic case.)
 */
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnprotectedSideTableLabTest {
    private static final String TABLE = IcmpSettings.PREFIX + "unprotectedSide";

    private LabTopology lab;
    @TempDir
    Path work;

    @BeforeAll
    void createLab() throws IOException {
        lab = LabTopology.create(LabOptions.defaults());
    }

    @AfterAll
    void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aTableThatRejectsFragNeededKeepsRouterIcmpFromChangingTheSa() throws Exception {
        System.setProperty(TABLE, "4/3/4=reject, *=accept");
        lab.setPathMtu(1400);
        try (LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TUNNEL, "aes256gcm16", false, work)) {
            try (LabTransfer transfer = LabTransfer.start(lab, LabNode.E1, LabNode.E2,
                    lab.protectedAddress(LabNode.E2, false), 8L * 1024 * 1024, work)) {
                LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(120));
                assertTrue(outcome.verified(), () -> "E1 -> E2: " + outcome + "\nG1:\n" + tunnel.logTail(LabNode.G1));
            }
            TunnelStatus g1 = awaitStatus(tunnel, s -> s.outerIcmp().rejected(IcmpRejection.TYPE_REJECTED) >= 1);
            assertTrue(g1.outerIcmp().rejected(IcmpRejection.TYPE_REJECTED) >= 1, () -> g1.outerIcmp().toString());
            assertEquals(0, g1.outerIcmp().accepted(), () -> "nothing used: " + g1.outerIcmp());
            assertFalse(g1.outboundPmtu().history().stream().anyMatch(s -> s.source() == PmtuSource.CLASSIC_ICMP),
                    () -> "classic PMTUD learnt nothing: " + g1.outboundPmtu());
            assertTrue(g1.outboundPmtu().plpmtu() < 1400, () -> "black-hole detection recovered: " + g1.outboundPmtu());
        } finally {
            System.clearProperty(TABLE);
            lab.setPathMtu(1500);
        }
    }

    private TunnelStatus awaitStatus(LabTunnel tunnel, Predicate<TunnelStatus> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        TunnelStatus s = tunnel.status(LabNode.G1);
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(200); // the engine rewrites its status file each second; bounded by the deadline
            s = tunnel.status(LabNode.G1);
        }
        return s;
    }
}
