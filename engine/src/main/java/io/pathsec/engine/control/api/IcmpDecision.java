package io.pathsec.engine.control.api;

/**
 * A gateway decided what to do with one ICMP error ({@code icmp.decision}): where it came from,
 * what it said, which packet it quoted, the profile's option, and the outcome. Sent for every
 * decision the profile's ICMP logging selects (all, selected types, none; RFC 4301 §6.1.1 asks
 * that such logging be configurable).
 *
 * @param origin        where the error came from (E2, an inside router, the outer path, the peer gateway)
 * @param originAddress the ICMP message's source address
 * @param ipVersion     4 (ICMP) or 6 (ICMPv6)
 * @param icmpType      the ICMP type (RFC 792 / RFC 4443 numbering, per {@code ipVersion})
 * @param icmpCode      the ICMP code
 * @param icmpName      e.g. "destination-unreachable/port-unreachable", "time-exceeded/ttl", "packet-too-big"
 * @param quotedFlow    the offending packet the error quotes; null when the quote could not be read
 * @param option        the profile's {@link IcmpHandling}; null when a §6.1 type/code rule decided first
 * @param outcome       forwarded, queued, relayed, delivered or dropped
 * @param sa            for forwarded / delivered: the SA ("name 0x%08x" as the engine logs it); else null
 * @param reason        for dropped: a stable token ({@code type-rejected}, {@code no-sa-for-quoted-flow},
 *                      {@code selector-mismatch}, {@code discard-option}, {@code peer-lacks-vendor-id},
 *                      {@code queue-full}, {@code icmp-sa-failed}, {@code malformed}, {@code unverified}); else null
 * @param message       one line for people, e.g. "port-unreachable from 10.2.0.10 (E2) about udp
 *                      10.1.0.10:40000 -> 10.2.0.10:5001: forwarded on SA office-out 0xc4402f19 (implicit)"
 */
public record IcmpDecision(String profile, long at, IcmpOrigin origin, String originAddress, int ipVersion,
                           int icmpType, int icmpCode, String icmpName, IcmpQuotedFlow quotedFlow,
                           IcmpHandling option, IcmpOutcome outcome, String sa, String reason, String message)
        implements ControlEvent {
    @Override
    public EventType type() {
        return EventType.ICMP_DECISION;
    }
}
