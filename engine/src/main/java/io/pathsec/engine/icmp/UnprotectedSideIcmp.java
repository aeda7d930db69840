package io.pathsec.engine.icmp;

import io.netty.buffer.ByteBuf;
import io.pathsec.engine.control.api.IcmpOrigin;
import io.pathsec.engine.control.api.IcmpOutcome;
import io.pathsec.engine.pmtu.IcmpVerdict;
import io.pathsec.engine.pmtu.OuterIcmpCheck;

/**
 * RFC 4301 §6.1.1 on the unprotected side: unauthenticated ICMP arriving in clear (from R1, R2,
 * or anyone forging one) is used only when the profile's unprotected-side table accepts its
 * type/code; each Fragmentation Needed / Packet Too Big about ESP that the outer receiver sees is
 * recorded as a decision: dropped by the table, used by classic PMTUD for an SA, or dropped
 * because it does not quote one of our recent ESP packets. Errors quoting other traffic (the raw
 * socket sees every ICMP error of the host) are left alone, as before.
 *
 * <p>Runs on the outer ICMP receiver's thread; keeps no per-message state (the caller reuses
 * the source array).
 */
final class UnprotectedSideIcmp implements OuterIcmpCheck {
    private final IcmpTypeRules table;
    private final IcmpDecisionLog log;

    UnprotectedSideIcmp(IcmpTypeRules table, IcmpDecisionLog log) {
        this.table = table;
        this.log = log;
    }

    @Override
    public boolean admits(ByteBuf icmp, boolean ipv6, byte[] source) {
        int type = icmp.getUnsignedByte(icmp.readerIndex());
        int code = icmp.getUnsignedByte(icmp.readerIndex() + 1);
        int version = ipv6 ? 6 : 4;
        if (table.accepts(version, type, code)) {
            return true;
        }
        IcmpErrorMessage m = read(icmp, ipv6, source);
        if (m != null && !aboutEsp(m)) {
            return true; // not about the tunnel (the raw socket sees every ICMP of the host): not ours to judge
        }
        if (m != null) {
            log.record(m, IcmpOrigin.OUTER_PATH, null, IcmpOutcome.DROPPED, null, "type-rejected",
                    "dropped unused because the unprotected-side table rejects this type/code (RFC 4301 §6.1.1)");
        }
        return false;
    }

    @Override
    public void decided(ByteBuf icmp, boolean ipv6, byte[] source, IcmpVerdict verdict) {
        IcmpErrorMessage m = read(icmp, ipv6, source);
        if (m == null || !aboutEsp(m)) {
            return; // about other traffic of the host (e.g. our own inner Frag Needed to a local sender)
        }
        if (verdict.isAccepted()) {
            String sa = verdict.sa().pmtu().saName();
            log.record(m, IcmpOrigin.OUTER_PATH, null, IcmpOutcome.DELIVERED, sa, null,
                    "used by classic PMTUD for SA " + sa + " (its quote is one of our recent ESP packets)");
        } else {
            log.record(m, IcmpOrigin.OUTER_PATH, null, IcmpOutcome.DROPPED, null, "unverified",
                    "dropped because it does not quote a recent ESP packet of ours ("
                            + verdict.rejection().name().toLowerCase().replace('_', '-') + ")");
        }
    }

    /** Whether the quote could be one of our ESP packets: ESP, or UDP (ESP-in-UDP, RFC 3948). */
    private static boolean aboutEsp(IcmpErrorMessage m) {
        int protocol = m.quotedFlow().protocol();
        return protocol == 50 || protocol == io.pathsec.engine.packet.FlowKey.PROTO_UDP;
    }

    /** The message for the record; its destination is the quoted packet's sender (us: the quote is our ESP). */
    private IcmpErrorMessage read(ByteBuf icmp, boolean ipv6, byte[] source) {
        byte[] from = source != null ? source : new byte[ipv6 ? 16 : 4];
        try {
            IcmpErrorMessage m = IcmpErrorMessage.ofIcmp(ipv6 ? 6 : 4, from, from, icmp);
            io.pathsec.engine.packet.FlowKey quote = m.quotedFlow();
            return IcmpErrorMessage.ofIcmp(ipv6 ? 6 : 4, from,
                    java.util.Arrays.copyOf(quote.source(), quote.addressLength()), icmp);
        } catch (IllegalArgumentException e) {
            log.malformed(e.getMessage());
            return null;
        }
    }
}
