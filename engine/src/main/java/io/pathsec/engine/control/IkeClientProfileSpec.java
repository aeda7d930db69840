package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.auth.Authenticator;
import io.pathsec.engine.ike.fragment.IkeFragmentPolicy;
import io.pathsec.engine.ike.session.IkeIdentity;
import io.pathsec.engine.ike.session.IkeSessionTimers;
import io.pathsec.engine.ike.session.IkeSuite;
import io.pathsec.engine.tunnel.IkeClientProfile;

import java.net.InetAddress;
import java.util.List;

/**
 * A validated IKEv2 profile, with a PSK or certificates ({@link Authenticator}). The gateway may
 * be a DNS name and the local address may be left open: both are resolved at each connect ({@link #resolve}), since a laptop's address
 * and the gateway's may change between connects.
 *
 * @param local null: the address the routing table picks to reach the gateway
 * @param mode  tunnel mode (a road warrior), or transport mode between this host and the peer
 *              (host to host, RFC 7296 §1.3.1), with or without falling back to tunnel mode
 */
public record IkeClientProfileSpec(String name, ProfileSettings settings, String gateway, InetAddress local,
                                   IkeIdentity localId, IkeIdentity remoteId, Authenticator authenticator,
                                   List<IkeSuite> ikeSuites,
                                   List<EspTransform> espTransforms, List<String> remoteTs, String tun, int mtu,
                                   IkeSessionTimers timers, IkeFragmentPolicy fragmentation, boolean requestIpv6,
                                   io.pathsec.engine.ike.session.ChildSaModeRequest mode,
                                   List<String> trafficSelectors)
        implements TunnelProfile {
    public IkeClientProfileSpec {
        ikeSuites = List.copyOf(ikeSuites);
        espTransforms = List.copyOf(espTransforms);
        remoteTs = List.copyOf(remoteTs);
        trafficSelectors = trafficSelectors == null ? List.of() : List.copyOf(trafficSelectors);
    }

    /** Without narrow traffic selectors. */
    public IkeClientProfileSpec(String name, ProfileSettings settings, String gateway, InetAddress local,
                                IkeIdentity localId, IkeIdentity remoteId, Authenticator authenticator,
                                List<IkeSuite> ikeSuites, List<EspTransform> espTransforms, List<String> remoteTs,
                                String tun, int mtu, IkeSessionTimers timers, IkeFragmentPolicy fragmentation,
                                boolean requestIpv6, io.pathsec.engine.ike.session.ChildSaModeRequest mode) {
        this(name, settings, gateway, local, localId, remoteId, authenticator, ikeSuites, espTransforms, remoteTs,
                tun, mtu, timers, fragmentation, requestIpv6, mode, List.of());
    }

    @Override
    public ProfileKind kind() {
        return ProfileKind.IKEV2_PSK;
    }

    /** The engine's profile, for a gateway and local address looked up now. */
    IkeClientProfile resolve(InetAddress gatewayAddress, InetAddress localAddress) {
        return new IkeClientProfile(name, tun, mtu, localAddress, gatewayAddress, localId, remoteId, authenticator,
                ikeSuites, espTransforms, remoteTs, timers, mode, fragmentation, requestIpv6, trafficSelectors);
    }

    @Override
    public String toString() {
        return "IkeClientProfileSpec[" + name + " -> " + gateway + ", " + localId + ", " + authenticator + "]";
    }
}
