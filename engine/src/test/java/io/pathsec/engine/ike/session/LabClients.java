package io.pathsec.engine.ike.session;

import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.tunnel.IkeTunnelService;
import io.pathsec.engine.tunnel.IkeTunnelStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * PathSec road-warrior clients (IkeTunnelService processes) for the lab tests, whatever the
 * gateway: a PathSec IkeGatewayService or strongSwan. One place for the client profile and the
 * wait until the tunnel settles, which every interop test needs.
 */
final class LabClients {
    /** Long enough for IKE_SA_INIT, IKE_AUTH and a few retransmissions on a loaded machine. */
    static final Duration SETTLE = Duration.ofSeconds(40);
    private static final Set<String> SETTLED = Set.of("ESTABLISHED", "FAILED", "CLOSED");

    private LabClients() {
    }

    /**
     * A client profile from G1's outer address to {@code gateway}.
     *
     * @param remoteId the identity the gateway must prove, or null to accept any
     */
    static Map<String, Object> profile(LabTopology lab, String gateway, String psk, String localId, String remoteId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", "c");
        p.put("local", lab.outerAddress(LabNode.G1, false).getHostAddress());
        p.put("gateway", gateway);
        p.put("localId", localId);
        if (remoteId != null) {
            p.put("remoteId", remoteId);
        }
        p.put("psk", psk);
        return p;
    }

    /** Starts {@code profile} as an IkeTunnelService in G1 (the topology owns the process too). */
    static IkeLabProcess<IkeTunnelStatus> start(LabTopology lab, Path dir, Map<String, Object> profile, String tag)
            throws IOException {
        return IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class, profile, dir, tag, IkeTunnelStatus.class);
    }

    static boolean settled(IkeTunnelStatus s) {
        return SETTLED.contains(s.state);
    }

    /** The status once ESTABLISHED, FAILED or CLOSED, or the last one after {@link #SETTLE}. */
    static IkeTunnelStatus awaitSettled(IkeLabProcess<IkeTunnelStatus> client) throws IOException, InterruptedException {
        return client.await(LabClients::settled, SETTLE);
    }

    /** {@code s.state}, null-safe for assertions on a client that never wrote a status. */
    static String state(IkeTunnelStatus s) {
        return s == null ? null : s.state;
    }
}
