package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.message.TrafficSelector;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A gateway's settings for one road-warrior connection: its address and identity, the PSK any
 * client must prove, what it accepts, the networks it protects (TSr) and the virtual address pool.
 */
public record IkeResponderConfig(InetSocketAddress local, IkeIdentity localIdentity, byte[] psk,
                                 List<IkeSuite> ikeSuites, List<EspTransform> espTransforms,
                                 List<TrafficSelector> localTs, AddressPool pool, IkeSessionTimers timers) {
    public IkeResponderConfig(InetSocketAddress local, IkeIdentity localIdentity, byte[] psk, List<IkeSuite> ikeSuites,
                              List<EspTransform> espTransforms, List<TrafficSelector> localTs, AddressPool pool) {
        this(local, localIdentity, psk, ikeSuites, espTransforms, localTs, pool, IkeSessionTimers.DEFAULT);
    }

    /** @param timers rekeying, liveness and retransmission once established (§2.1, §2.4, §2.8) */
    public IkeResponderConfig {
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(localIdentity, "localIdentity");
        psk = Objects.requireNonNull(psk, "psk").clone();
        ikeSuites = List.copyOf(ikeSuites);
        espTransforms = List.copyOf(espTransforms);
        localTs = List.copyOf(localTs);
        Objects.requireNonNull(pool, "pool");
    }

    @Override
    public String toString() {
        return "IkeResponderConfig[" + local + ", " + localIdentity + ", psk hidden]";
    }
}
