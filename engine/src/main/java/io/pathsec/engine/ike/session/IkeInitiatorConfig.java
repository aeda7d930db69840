package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.auth.Authenticator;
import io.pathsec.engine.ike.auth.PskAuthenticator;
import io.pathsec.engine.ike.message.TrafficSelector;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * What an initiator needs: where it is and where the gateway is, who both are, how we prove
 * ourselves and check the gateway (PSK or certificates), the algorithms to offer, and what to ask for.
 *
 * @param local            our address and IKE port (500); it goes into NAT_DETECTION_SOURCE_IP
 * @param gateway          the responder's address and IKE port (500)
 * @param remoteIdentity   the identity the gateway must prove, or null to accept any
 * @param requestVirtualIp send CP(CFG_REQUEST) for INTERNAL_IP4_ADDRESS and DNS (§2.19)
 * @param remoteTs         TSr to propose; the gateway may narrow it (§2.9)
 * @param timers           rekeying, liveness and retransmission once established (§2.1, §2.4, §2.8)
 * @param mode             tunnel or transport mode (§1.3.1), and whether tunnel mode is an acceptable answer
 */
public record IkeInitiatorConfig(InetSocketAddress local, InetSocketAddress gateway, IkeIdentity localIdentity,
                                 IkeIdentity remoteIdentity, Authenticator authenticator, List<IkeSuite> ikeSuites,
                                 List<EspTransform> espTransforms, boolean requestVirtualIp,
                                 List<TrafficSelector> remoteTs, IkeSessionTimers timers, ChildSaModeRequest mode) {
    public IkeInitiatorConfig {
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(localIdentity, "localIdentity");
        Objects.requireNonNull(authenticator, "authenticator");
        ikeSuites = List.copyOf(ikeSuites);
        espTransforms = List.copyOf(espTransforms);
        remoteTs = List.copyOf(remoteTs);
        if (ikeSuites.isEmpty() || espTransforms.isEmpty()) {
            throw new IllegalArgumentException("at least one IKE and one ESP proposal are needed");
        }
    }

    /** A PSK configuration (RFC 7296 §2.15). */
    public IkeInitiatorConfig(InetSocketAddress local, InetSocketAddress gateway, IkeIdentity localIdentity,
                              IkeIdentity remoteIdentity, byte[] psk, List<IkeSuite> ikeSuites,
                              List<EspTransform> espTransforms, boolean requestVirtualIp,
                              List<TrafficSelector> remoteTs, IkeSessionTimers timers, ChildSaModeRequest mode) {
        this(local, gateway, localIdentity, remoteIdentity, new PskAuthenticator(psk), ikeSuites, espTransforms,
                requestVirtualIp, remoteTs, timers, mode);
    }

    /** A tunnel-mode configuration with the default timers. */
    public IkeInitiatorConfig(InetSocketAddress local, InetSocketAddress gateway, IkeIdentity localIdentity,
                              IkeIdentity remoteIdentity, byte[] psk, List<IkeSuite> ikeSuites,
                              List<EspTransform> espTransforms, boolean requestVirtualIp,
                              List<TrafficSelector> remoteTs) {
        this(local, gateway, localIdentity, remoteIdentity, psk, ikeSuites, espTransforms, requestVirtualIp, remoteTs,
                IkeSessionTimers.DEFAULT, ChildSaModeRequest.TUNNEL);
    }

    /** A tunnel-mode configuration. */
    public IkeInitiatorConfig(InetSocketAddress local, InetSocketAddress gateway, IkeIdentity localIdentity,
                              IkeIdentity remoteIdentity, byte[] psk, List<IkeSuite> ikeSuites,
                              List<EspTransform> espTransforms, boolean requestVirtualIp,
                              List<TrafficSelector> remoteTs, IkeSessionTimers timers) {
        this(local, gateway, localIdentity, remoteIdentity, psk, ikeSuites, espTransforms, requestVirtualIp, remoteTs,
                timers, ChildSaModeRequest.TUNNEL);
    }

    @Override
    public String toString() {
        return "IkeInitiatorConfig[" + local + " -> " + gateway + ", " + localIdentity + " -> "
                + (remoteIdentity == null ? "%any" : remoteIdentity) + ", " + authenticator + "]";
    }
}
