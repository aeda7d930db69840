package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;

/**
 * RFC 4301 §6.1.1 on the unprotected side: whether an unauthenticated outer ICMP message may be
 * used at all (the profile's per type/code table), and a record of what became of each one. The
 * ICMP handling ({@code io.pathsec.engine.icmp}) supplies it; classic PMTUD asks it first.
 */
public interface OuterIcmpCheck {
    /** Admits everything and records nothing (no ICMP handling configured). */
    OuterIcmpCheck NONE = new OuterIcmpCheck() {
        @Override
        public boolean admits(ByteBuf icmp, boolean ipv6, byte[] source) {
            return true;
        }

        @Override
        public void decided(ByteBuf icmp, boolean ipv6, byte[] source, IcmpVerdict verdict) {
        }
    };

    /**
     * @param icmp   the message, readable from its type octet (not consumed)
     * @param source its sender's address, or null when unknown
     * @return false to drop it unused (the table rejects its type/code)
     */
    boolean admits(ByteBuf icmp, boolean ipv6, byte[] source);

    /** What classic PMTUD made of an admitted message: used for an SA, or rejected by validation. */
    void decided(ByteBuf icmp, boolean ipv6, byte[] source, IcmpVerdict verdict);
}
