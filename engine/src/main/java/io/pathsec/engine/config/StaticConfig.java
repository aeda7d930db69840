package io.pathsec.engine.config;

import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.policy.PolicyAction;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.policy.Selector;
import io.pathsec.engine.policy.SpdEntry;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A static-key configuration for one host: manually keyed SAs and the SPD, the counterpart of
 * {@code ip xfrm state} plus {@code ip xfrm policy}, so that two engines can talk before IKE
 * exists (RFC 4301 §4.5 allows manual keying). Read by {@link StaticConfigLoader}, written by
 * {@link StaticConfigGenerator}; the JSON schema is in {@code docs/static-keys.md}:
 *
 * <pre>{@code
 * {
 *   "name": "g1",
 *   "tun": { "name": "pathsec0", "mtu": 1400, "addresses": ["10.0.0.1/32"],
 *            "routes": ["203.0.113.0/24"] },
 *   "listen": { "address": "198.51.100.1", "port": 4500 },
 *   "peer": { "address": "198.51.100.130", "port": 4500 },
 *   "mode": "tunnel",
 *   "sas": [
 *     { "direction": "out", "spi": "0x1000", "transform": "aes256gcm16", "key": "<72 hex digits>" },
 *     { "direction": "in", "spi": "0x2000", "transform": "aes256gcm16", "key": "@file:keys/g1-in.hex",
 *       "esn": true, "replayWindow": 1024 }
 *   ],
 *   "policies": [
 *     { "local": "192.0.2.0/24", "remote": "203.0.113.0/24", "protocol": "any", "action": "protect" }
 *   ],
 *   "tfcPadding": 0,
 *   "workers": 2
 * }
 * }</pre>
 *
 * <p>There is exactly one outbound SA, which every PROTECT policy uses, and one or more inbound
 * SAs (several let a new key be rolled in before the old one is removed).
 *
 * @param tfcPadding bytes of traffic flow confidentiality padding (RFC 4303 §2.7); 0 for none
 * @param workers crypto worker threads; 0 runs the crypto on the TUN reader and UDP event-loop
 *                threads themselves (fewer thread switches, for machines with few cores)
 */
public record StaticConfig(String name, Tun tun, InetSocketAddress listen, InetSocketAddress peer,
                           IpsecMode mode, List<StaticSa> sas, List<StaticPolicy> policies,
                           int tfcPadding, int workers) {

    public StaticConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tun, "tun");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(mode, "mode");
        sas = List.copyOf(sas);
        policies = List.copyOf(policies);
    }

    /** The TUN device: name, MTU, its own addresses, and the routes that lead into it. */
    public record Tun(String name, int mtu, List<IpPrefix> addresses, List<IpPrefix> routes) {
        public Tun {
            Objects.requireNonNull(name, "name");
            addresses = List.copyOf(addresses);
            routes = List.copyOf(routes);
        }
    }

    /**
     * One manually keyed SA. The key is never part of {@link #toString()}.
     *
     * @param transform an ESP transform name from {@link TransformKeyLengths}
     * @param esn extended (64-bit) sequence numbers (RFC 4303 §2.2.1)
     * @param replayWindow anti-replay window in packets for inbound SAs, 0 for none and for
     *                     outbound SAs
     */
    public record StaticSa(Direction direction, int spi, String transform, byte[] key, boolean esn,
                           int replayWindow) {
        public StaticSa {
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(transform, "transform");
            key = Objects.requireNonNull(key, "key").clone();
        }

        /** A copy: records hand out their fields, and this one is a secret. */
        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StaticSa s && s.direction == direction && s.spi == spi
                    && s.transform.equals(transform) && Arrays.equals(s.key, key) && s.esn == esn
                    && s.replayWindow == replayWindow;
        }

        @Override
        public int hashCode() {
            return Objects.hash(direction, spi, transform, esn, replayWindow);
        }

        @Override
        public String toString() {
            return "StaticSa[" + direction + " spi 0x" + Integer.toHexString(spi) + " " + transform
                    + (esn ? " esn" : "") + (replayWindow > 0 ? " window " + replayWindow : "")
                    + " key (" + key.length + " bytes)]";
        }
    }

    /** One SPD entry: its name, selectors and action; PROTECT means the outbound SA. */
    public record StaticPolicy(String name, Selector selector, PolicyAction action) {
        public StaticPolicy {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(action, "action");
        }
    }

    /** The same configuration with another number of crypto workers (0: crypto on the I/O threads). */
    public StaticConfig withWorkers(int count) {
        return new StaticConfig(name, tun, listen, peer, mode, sas, policies, tfcPadding, count);
    }

    /** The one outbound SA. */
    public StaticSa outboundSa() {
        return sas.stream().filter(s -> s.direction() == Direction.OUTBOUND).findFirst()
                .orElseThrow();
    }

    /**
     * The SPD in file order: the first policy is searched first (RFC 4301 §4.4.1). PROTECT entries
     * are bound to the SA binding named after this host ({@link #name()}).
     */
    public List<SpdEntry> spdEntries() {
        List<SpdEntry> entries = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++) {
            StaticPolicy p = policies.get(i);
            entries.add(new SpdEntry(p.name(), i, p.selector(), p.action(),
                    p.action() == PolicyAction.PROTECT ? name : null));
        }
        return entries;
    }

    /**
     * The SAs to install in the SAD. Each carries the selectors of every PROTECT policy, so the
     * inbound ones refuse decrypted packets outside them (RFC 4301 §5.2 step 4).
     *
     * @param clock stamps their creation time
     */
    public List<SecurityAssociation> securityAssociations(Clock clock) {
        List<Selector> selectors = policies.stream()
                .filter(p -> p.action() == PolicyAction.PROTECT).map(StaticPolicy::selector).toList();
        List<SecurityAssociation> result = new ArrayList<>();
        for (StaticSa sa : sas) {
            byte[] key = sa.key();
            result.add(SecurityAssociation.builder()
                    .name(name).spi(sa.spi()).direction(sa.direction()).transform(sa.transform())
                    .key(key).mode(mode).localEndpoint(listen).remoteEndpoint(peer)
                    .udpEncapsulation(true).extendedSequenceNumbers(sa.esn())
                    .replayWindow(sa.replayWindow())
                    .selectors(selectors.isEmpty() ? List.of(Selector.ANY) : selectors)
                    .clock(clock).build());
            Arrays.fill(key, (byte) 0);
        }
        return result;
    }
}
