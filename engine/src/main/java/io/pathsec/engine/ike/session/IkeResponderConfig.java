package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.auth.Authenticator;
import io.pathsec.engine.ike.auth.PskAuthenticator;
import io.pathsec.engine.ike.message.TrafficSelector;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A gateway's settings for one road-warrior connection: its address and identity, how clients
 * prove themselves (PSK or certificates), what it accepts, the networks it protects (TSr) and the virtual address pool.
 *
 * @param pool               virtual addresses for CP requests (§2.19), or null to refuse them
 *                           (host-to-host responders)
 * @param timers             rekeying, liveness and retransmission once established (§2.1, §2.4, §2.8)
 * @param allowTransportMode whether a USE_TRANSPORT_MODE request is granted (§1.3.1); when not,
 *                           the CHILD_SA is created in tunnel mode
 * @param dns                DNS servers sent as INTERNAL_IP4_DNS with a virtual address (§3.15.1)
 */
public record IkeResponderConfig(InetSocketAddress local, IkeIdentity localIdentity, Authenticator authenticator,
                                 List<IkeSuite> ikeSuites, List<EspTransform> espTransforms,
                                 List<TrafficSelector> localTs, AddressPool pool, IkeSessionTimers timers,
                                 boolean allowTransportMode, List<InetAddress> dns) {
    public IkeResponderConfig {
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(localIdentity, "localIdentity");
        Objects.requireNonNull(authenticator, "authenticator");
        ikeSuites = List.copyOf(ikeSuites);
        espTransforms = List.copyOf(espTransforms);
        localTs = List.copyOf(localTs);
        dns = List.copyOf(dns);
    }

    /** A PSK configuration (RFC 7296 §2.15). */
    public IkeResponderConfig(InetSocketAddress local, IkeIdentity localIdentity, byte[] psk,
                              List<IkeSuite> ikeSuites, List<EspTransform> espTransforms,
                              List<TrafficSelector> localTs, AddressPool pool, IkeSessionTimers timers,
                              boolean allowTransportMode, List<InetAddress> dns) {
        this(local, localIdentity, new PskAuthenticator(psk), ikeSuites, espTransforms, localTs, pool, timers,
                allowTransportMode, dns);
    }

    /** A road-warrior gateway's configuration: tunnel mode only, default timers. */
    public IkeResponderConfig(InetSocketAddress local, IkeIdentity localIdentity, byte[] psk, List<IkeSuite> ikeSuites,
                              List<EspTransform> espTransforms, List<TrafficSelector> localTs, AddressPool pool) {
        this(local, localIdentity, psk, ikeSuites, espTransforms, localTs, Objects.requireNonNull(pool, "pool"),
                IkeSessionTimers.DEFAULT);
    }

    /** A road-warrior gateway's configuration: tunnel mode only. */
    public IkeResponderConfig(InetSocketAddress local, IkeIdentity localIdentity, byte[] psk, List<IkeSuite> ikeSuites,
                              List<EspTransform> espTransforms, List<TrafficSelector> localTs, AddressPool pool,
                              IkeSessionTimers timers) {
        this(local, localIdentity, psk, ikeSuites, espTransforms, localTs, pool, timers, false, List.of());
    }

    /** Default timers; transport mode granted or not. */
    public IkeResponderConfig(InetSocketAddress local, IkeIdentity localIdentity, byte[] psk, List<IkeSuite> ikeSuites,
                              List<EspTransform> espTransforms, List<TrafficSelector> localTs, AddressPool pool,
                              boolean allowTransportMode) {
        this(local, localIdentity, psk, ikeSuites, espTransforms, localTs, pool, IkeSessionTimers.DEFAULT,
                allowTransportMode, List.of());
    }

    @Override
    public String toString() {
        return "IkeResponderConfig[" + local + ", " + localIdentity + ", " + authenticator + "]";
    }
}
