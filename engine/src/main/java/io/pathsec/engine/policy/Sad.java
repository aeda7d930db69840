package io.pathsec.engine.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Security Association Database (RFC 4301 §4.4.2). Inbound SAs are found by SPI alone, as
 * §4.1 allows for unicast SAs when this host chose the SPI; outbound SAs by the binding name an
 * SPD entry refers to. Several inbound SAs coexist during a make-before-break rekey, each under
 * its own SPI, while {@link #replaceOutbound} swaps the outbound SA of a binding in one step.
 */
public final class Sad {
    private final ConcurrentHashMap<Integer, SecurityAssociation> inbound = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SecurityAssociation> outbound = new ConcurrentHashMap<>();

    /**
     * Adds an SA.
     *
     * @throws IllegalStateException if an inbound SA has the same SPI, or an outbound SA the
     *         same binding name
     */
    public void add(SecurityAssociation sa) {
        SecurityAssociation previous = sa.direction() == Direction.INBOUND
                ? inbound.putIfAbsent(sa.spi(), sa)
                : outbound.putIfAbsent(sa.name(), sa);
        if (previous != null) {
            throw new IllegalStateException(sa.direction() == Direction.INBOUND
                    ? "inbound SPI 0x" + Integer.toHexString(sa.spi()) + " is in use by " + previous.name()
                    : "outbound binding " + sa.name() + " is in use");
        }
    }

    /** Installs {@code sa} as the outbound SA of its binding; returns the one it replaced, or null. */
    public SecurityAssociation replaceOutbound(SecurityAssociation sa) {
        if (sa.direction() != Direction.OUTBOUND) {
            throw new IllegalArgumentException("not an outbound SA: " + sa);
        }
        return outbound.put(sa.name(), sa);
    }

    /** The inbound SA for an SPI, or null (the packet is then dropped, RFC 4303 §3.4.2). */
    public SecurityAssociation inbound(int spi) {
        return inbound.get(spi);
    }

    /** The outbound SA of a binding, or null. */
    public SecurityAssociation outbound(String binding) {
        return outbound.get(binding);
    }

    /** Removes exactly this SA (not a newer one under the same key); false if it was not present. */
    public boolean remove(SecurityAssociation sa) {
        return sa.direction() == Direction.INBOUND
                ? inbound.remove(sa.spi(), sa)
                : outbound.remove(sa.name(), sa);
    }

    /** A snapshot of all SAs, inbound first, for status views. */
    public List<SecurityAssociation> all() {
        List<SecurityAssociation> all = new ArrayList<>(inbound.values());
        all.addAll(outbound.values());
        return all;
    }

    public int size() {
        return inbound.size() + outbound.size();
    }

    /**
     * Removes every SA that has reached a hard lifetime at {@code now} (RFC 4301 §4.4.2.1) and
     * returns them, so the caller can log them and tell the peer.
     */
    public List<SecurityAssociation> expire(Instant now) {
        List<SecurityAssociation> expired = new ArrayList<>();
        for (SecurityAssociation sa : all()) {
            if (sa.expiry(now) == LifetimeState.HARD && remove(sa)) {
                expired.add(sa);
            }
        }
        return expired;
    }
}
