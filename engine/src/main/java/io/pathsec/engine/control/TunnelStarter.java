package io.pathsec.engine.control;

import java.io.IOException;

/**
 * Brings a profile's tunnel up. The daemon uses {@link LinuxTunnelStarter}; tests of the API
 * alone use an in-memory one, so they need neither root nor a TUN device.
 */
@FunctionalInterface
public interface TunnelStarter {
    /** Blocks until the tunnel carries traffic; on failure leaves nothing behind. */
    RunningTunnel start(TunnelProfile profile) throws IOException;

    /**
     * As {@link #start(TunnelProfile)}, publishing the connect's steps and SA changes through
     * {@code context}; starters without steps to tell ignore it.
     */
    default RunningTunnel start(TunnelProfile profile, TunnelContext context) throws IOException {
        return start(profile);
    }
}
