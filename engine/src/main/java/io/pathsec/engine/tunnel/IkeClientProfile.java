package io.pathsec.engine.tunnel;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.auth.Authenticator;
import io.pathsec.engine.ike.auth.PskAuthenticator;
import io.pathsec.engine.ike.fragment.IkeFragmentPolicy;
import io.pathsec.engine.ike.session.ChildSaModeRequest;
import io.pathsec.engine.ike.session.IkeIdentity;
import io.pathsec.engine.ike.session.IkeSessionTimers;
import io.pathsec.engine.ike.session.IkeSuite;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A road-warrior profile: which gateway to reach from which local address, the identities and
 * how they are proven (PSK or certificates), what to offer, and the TUN device to create. The
 * virtual address and the routes come from the gateway (CP and TSr).
 *
 * @param remoteTs   networks to ask for behind the gateway (TSr); empty asks for all of IPv4
 *                   and takes what the gateway narrows it to
 * @param timers     rekey times, DPD delay and retransmissions once established
 * @param mode       TUNNEL: a road warrior asking for a virtual address; TRANSPORT or
 *                   TRANSPORT_OR_TUNNEL: host-to-host between the two outer addresses (RFC 7296
 *                   §1.3.1, E1 = G1 and E2 = G2), no virtual address
 * @param fragmentation IKE fragmentation (RFC 7383): whether to announce it, and the fragment size
 * @param requestIpv6 a road warrior also asks for an IPv6 virtual address (INTERNAL_IP6_ADDRESS)
 *                   and proposes IPv6 selectors
 * @param trafficSelectors narrow TSr to propose instead of {@code remoteTs}, in
 *                   {@link TrafficSelectorText} form (e.g. {@code 10.2.0.0/24 udp 5001}); the
 *                   gateway may narrow them further (RFC 7296 §2.9); empty: {@code remoteTs}
 */
public record IkeClientProfile(String name, String tunName, int tunMtu, InetAddress localAddress,
                               InetAddress gatewayAddress, IkeIdentity localIdentity, IkeIdentity remoteIdentity,
                               Authenticator authenticator, List<IkeSuite> ikeSuites,
                               List<EspTransform> espTransforms, List<String> remoteTs, IkeSessionTimers timers,
                               ChildSaModeRequest mode, IkeFragmentPolicy fragmentation, boolean requestIpv6,
                               List<String> trafficSelectors) {
    /** Without narrow selectors. */
    public IkeClientProfile(String name, String tunName, int tunMtu, InetAddress localAddress,
                            InetAddress gatewayAddress, IkeIdentity localIdentity, IkeIdentity remoteIdentity,
                            Authenticator authenticator, List<IkeSuite> ikeSuites,
                            List<EspTransform> espTransforms, List<String> remoteTs, IkeSessionTimers timers,
                            ChildSaModeRequest mode, IkeFragmentPolicy fragmentation, boolean requestIpv6) {
        this(name, tunName, tunMtu, localAddress, gatewayAddress, localIdentity, remoteIdentity, authenticator,
                ikeSuites, espTransforms, remoteTs, timers, mode, fragmentation, requestIpv6, List.of());
    }

    /** A PSK profile. */
    public IkeClientProfile(String name, String tunName, int tunMtu, InetAddress localAddress,
                            InetAddress gatewayAddress, IkeIdentity localIdentity, IkeIdentity remoteIdentity,
                            byte[] psk, List<IkeSuite> ikeSuites, List<EspTransform> espTransforms,
                            List<String> remoteTs, IkeSessionTimers timers, ChildSaModeRequest mode,
                            IkeFragmentPolicy fragmentation, boolean requestIpv6) {
        this(name, tunName, tunMtu, localAddress, gatewayAddress, localIdentity, remoteIdentity,
                new PskAuthenticator(psk), ikeSuites, espTransforms, remoteTs, timers, mode, fragmentation, requestIpv6);
    }

    /** A road-warrior profile with the default timers. */
    public IkeClientProfile(String name, String tunName, int tunMtu, InetAddress localAddress,
                            InetAddress gatewayAddress, IkeIdentity localIdentity, IkeIdentity remoteIdentity,
                            byte[] psk, List<IkeSuite> ikeSuites, List<EspTransform> espTransforms,
                            List<String> remoteTs) {
        this(name, tunName, tunMtu, localAddress, gatewayAddress, localIdentity, remoteIdentity, psk, ikeSuites,
                espTransforms, remoteTs, IkeSessionTimers.DEFAULT);
    }

    /** With IKE fragmentation supported and sized from the path. */
    public IkeClientProfile(String name, String tunName, int tunMtu, InetAddress localAddress,
                            InetAddress gatewayAddress, IkeIdentity localIdentity, IkeIdentity remoteIdentity,
                            byte[] psk, List<IkeSuite> ikeSuites, List<EspTransform> espTransforms,
                            List<String> remoteTs, IkeSessionTimers timers, ChildSaModeRequest mode) {
        this(name, tunName, tunMtu, localAddress, gatewayAddress, localIdentity, remoteIdentity, psk, ikeSuites,
                espTransforms, remoteTs, timers, mode, IkeFragmentPolicy.DEFAULT, false);
    }

    public IkeClientProfile {
        Objects.requireNonNull(fragmentation, "fragmentation");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(gatewayAddress, "gatewayAddress");
        Objects.requireNonNull(localIdentity, "localIdentity");
        Objects.requireNonNull(authenticator, "authenticator");
        ikeSuites = List.copyOf(ikeSuites);
        espTransforms = List.copyOf(espTransforms);
        remoteTs = List.copyOf(remoteTs);
        trafficSelectors = trafficSelectors == null ? List.of() : List.copyOf(trafficSelectors);
        TrafficSelectorText.parseAll(trafficSelectors); // fails early, naming the bad one
    }

    /** A road-warrior profile (tunnel mode, virtual address). */
    public IkeClientProfile(String name, String tunName, int tunMtu, InetAddress localAddress,
                            InetAddress gatewayAddress, IkeIdentity localIdentity, IkeIdentity remoteIdentity,
                            byte[] psk, List<IkeSuite> ikeSuites, List<EspTransform> espTransforms,
                            List<String> remoteTs, IkeSessionTimers timers) {
        this(name, tunName, tunMtu, localAddress, gatewayAddress, localIdentity, remoteIdentity, psk, ikeSuites,
                espTransforms, remoteTs, timers, ChildSaModeRequest.TUNNEL);
    }

    /** Host-to-host: no virtual address, the selectors are the two hosts' own addresses. */
    public boolean hostToHost() {
        return mode != ChildSaModeRequest.TUNNEL;
    }

    @Override
    public String toString() {
        return "IkeClientProfile[" + name + " " + localAddress.getHostAddress() + " -> "
                + gatewayAddress.getHostAddress() + ", " + localIdentity + ", " + authenticator + "]";
    }
}
