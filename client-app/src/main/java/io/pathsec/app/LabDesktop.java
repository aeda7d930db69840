package io.pathsec.app;

import io.pathsec.engine.lab.LabDaemon;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTunnel;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.ui.lab.LabControls;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The lab as the desktop shows it: the topology, G2's engine as in the terminal lab, and in
 * G1's namespace the production daemon holding G1's static keys as the profile {@value #PROFILE},
 * connected. The GUI is a client of that daemon like on a laptop, so every view shows the lab's
 * tunnel; the lab panel changes the path through {@link #controls()}.
 *
 * <p>{@link #close()} stops the transfer, the daemon (by PID) and G2's engine, and removes the
 * namespaces. Idempotent, so the window closing and Ctrl-C may both call it.
 */
final class LabDesktop implements AutoCloseable {
    /** The name the lab's tunnel has in the GUI. */
    static final String PROFILE = "lab";

    private final LabTopology lab;
    private final LabTunnel g2;
    private final LabDaemon g1;
    private final TopologyLabControls controls;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LabDesktop(LabTopology lab, LabTunnel g2, LabDaemon g1, TopologyLabControls controls) {
        this.lab = lab;
        this.g2 = g2;
        this.g1 = g1;
        this.controls = controls;
    }

    /**
     * Builds the lab and connects G1's daemon to G2. On failure removes what it built.
     *
     * @param work a directory private to root: keys, the daemon's state and socket, logs
     */
    static LabDesktop start(LabOptions options, IpsecMode mode, String transform, boolean ipv6, long transferBytes,
                            Path work, Function<LabTopology, String> description) throws IOException {
        LabTopology lab = LabTopology.create(options);
        LabTunnel g2 = null;
        LabDaemon g1 = null;
        try {
            g2 = LabTunnel.startGatewayOnly(lab, mode, transform, ipv6, work);
            g1 = LabDaemon.start(lab, LabNode.G1, work);
            g1.connectStaticKeys(PROFILE, g2.configOf(LabNode.G1));
            TopologyLabControls controls = new TopologyLabControls(lab, LabFlow.of(lab, mode, ipv6), transferBytes,
                    work, description.apply(lab));
            return new LabDesktop(lab, g2, g1, controls);
        } catch (IOException | RuntimeException e) {
            if (g1 != null) {
                g1.close();
            }
            if (g2 != null) {
                g2.close();
            }
            lab.close();
            throw e;
        }
    }

    /** G1's daemon's control socket, for the window (and {@code pathsec status --socket}). */
    Path socket() {
        return g1.socket();
    }

    long daemonPid() {
        return g1.pid();
    }

    LabTopology topology() {
        return lab;
    }

    LabControls controls() {
        return controls;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            controls.stopTransfer();
            g1.close();
            g2.close();
        } finally {
            lab.close();
        }
    }
}
