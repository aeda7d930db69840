package io.pathsec.engine.gateway;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.auth.Authenticator;
import io.pathsec.engine.ike.auth.PskAuthenticator;
import io.pathsec.engine.ike.fragment.IkeFragmentPolicy;
import io.pathsec.engine.ike.session.IkeIdentity;
import io.pathsec.engine.ike.session.IkeSessionTimers;
import io.pathsec.engine.ike.session.IkeSuite;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.tunnel.TrafficSelectorText;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A gateway profile: where it listens (UDP 500 and 4500), who it is, how clients and the gateway
 * prove themselves (a PSK, or certificates and a trust store), what it offers, the virtual-address
 * pool, the protected subnets it offers as TSr, DNS servers for clients, whether host-to-host transport mode is granted, and when cookies start.
 *
 * @param pool             prefix of virtual addresses (e.g. 10.201.0.0/24), or null for a gateway
 *                         that serves only host-to-host peers
 * @param protectedSubnets prefixes behind the gateway (TSr); the gateway's own address for
 *                         host-to-host
 * @param cookieThreshold  half-open IKE SAs beyond which initiators must return a cookie
 *                         (RFC 7296 §2.6); 0 asks every initiator
 * @param timers           rekeying, liveness checks (a silent client is removed, §2.4) and
 *                         retransmission of the gateway's own requests
 * @param fragmentation    IKE fragmentation (RFC 7383): whether to accept it, and the fragment size
 * @param pool6            IPv6 prefix of virtual addresses (e.g. 2001:db8:c::/112), or null for
 *                         IPv4 only
 * @param trafficSelectors narrow TSr to offer instead of whole protected subnets, in
 *                         {@link io.pathsec.engine.tunnel.TrafficSelectorText} form (e.g. {@code
 *                         10.2.0.0/24 tcp 5201}); each lies within a protected subnet; empty: the
 *                         subnets, any protocol
 */
public record IkeGatewayProfile(String name, String tunName, int tunMtu, InetAddress listenAddress,
                                IkeIdentity localIdentity, Authenticator authenticator, List<IkeSuite> ikeSuites,
                                List<EspTransform> espTransforms, String pool, List<String> protectedSubnets,
                                List<InetAddress> dns, boolean allowTransportMode, int cookieThreshold,
                                IkeSessionTimers timers, IkeFragmentPolicy fragmentation, String pool6,
                                List<String> trafficSelectors) {
    /** Whole protected subnets as TSr (no narrow selectors). */
    public IkeGatewayProfile(String name, String tunName, int tunMtu, InetAddress listenAddress,
                             IkeIdentity localIdentity, Authenticator authenticator, List<IkeSuite> ikeSuites,
                             List<EspTransform> espTransforms, String pool, List<String> protectedSubnets,
                             List<InetAddress> dns, boolean allowTransportMode, int cookieThreshold,
                             IkeSessionTimers timers, IkeFragmentPolicy fragmentation, String pool6) {
        this(name, tunName, tunMtu, listenAddress, localIdentity, authenticator, ikeSuites, espTransforms, pool,
                protectedSubnets, dns, allowTransportMode, cookieThreshold, timers, fragmentation, pool6, List.of());
    }

    /** A PSK gateway with IKE fragmentation supported and sized from the path, IPv4 only. */
    public IkeGatewayProfile(String name, String tunName, int tunMtu, InetAddress listenAddress,
                             IkeIdentity localIdentity, byte[] psk, List<IkeSuite> ikeSuites,
                             List<EspTransform> espTransforms, String pool, List<String> protectedSubnets,
                             List<InetAddress> dns, boolean allowTransportMode, int cookieThreshold,
                             IkeSessionTimers timers) {
        this(name, tunName, tunMtu, listenAddress, localIdentity, new PskAuthenticator(psk), ikeSuites, espTransforms,
                pool, protectedSubnets, dns, allowTransportMode, cookieThreshold, timers, IkeFragmentPolicy.DEFAULT,
                null);
    }

    public IkeGatewayProfile {
        Objects.requireNonNull(fragmentation, "fragmentation");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tunName, "tunName");
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(localIdentity, "localIdentity");
        Objects.requireNonNull(authenticator, "authenticator");
        ikeSuites = List.copyOf(ikeSuites);
        espTransforms = List.copyOf(espTransforms);
        protectedSubnets = List.copyOf(protectedSubnets);
        dns = List.copyOf(dns);
        if (ikeSuites.isEmpty() || espTransforms.isEmpty()) {
            throw new IllegalArgumentException("at least one IKE and one ESP proposal are needed");
        }
        if (protectedSubnets.isEmpty()) {
            throw new IllegalArgumentException("a gateway needs at least one protected subnet (its TSr)");
        }
        for (String subnet : protectedSubnets) {
            parse("protected subnet", subnet);
        }
        trafficSelectors = trafficSelectors == null ? List.of() : List.copyOf(trafficSelectors);
        for (var ts : TrafficSelectorText.parseAll(trafficSelectors)) {
            if (protectedSubnets.stream().noneMatch(subnet -> TrafficSelectorText.within(ts, subnet))) {
                throw new IllegalArgumentException("traffic selector " + ts.startAddress().getHostAddress() + "-"
                        + ts.endAddress().getHostAddress() + " lies outside every protected subnet " + protectedSubnets);
            }
        }
        if (pool != null && parse("pool", pool).low().getAddress().length != 4) {
            throw new IllegalArgumentException("pool '" + pool + "' must be IPv4; IPv6 addresses come from pool6");
        }
        if (pool6 != null && parse("pool6", pool6).low().getAddress().length != 16) {
            throw new IllegalArgumentException("pool6 '" + pool6 + "' must be an IPv6 prefix");
        }
        if (cookieThreshold < 0) {
            throw new IllegalArgumentException("cookieThreshold must be 0 or more, not " + cookieThreshold);
        }
    }

    private static AddressRange parse(String what, String prefix) {
        try {
            return AddressRange.parse(prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + prefix + "' is not an address prefix: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "IkeGatewayProfile[" + name + " " + listenAddress.getHostAddress() + ", " + localIdentity + ", pool "
                + pool + ", protects " + protectedSubnets + (trafficSelectors.isEmpty() ? "" : " as " + trafficSelectors) + ", " + authenticator + "]";
    }
}
