package io.pathsec.engine.pmtu;

/**
 * The outcome of validating one outer ICMP message: accepted for an SA with an MTU, or rejected.
 *
 * @param probe when the quoted packet is one of our DPLPMTUD probes, that probe; else null
 */
public record IcmpVerdict(IcmpRejection rejection, PmtuSaView sa, int mtu, InFlightProbe probe) {

    static IcmpVerdict rejected(IcmpRejection why) {
        return new IcmpVerdict(why, null, 0, null);
    }

    static IcmpVerdict accepted(PmtuSaView sa, int mtu) {
        return new IcmpVerdict(null, sa, mtu, null);
    }

    static IcmpVerdict acceptedForProbe(PmtuSaView sa, int mtu, InFlightProbe probe) {
        return new IcmpVerdict(null, sa, mtu, probe);
    }

    public boolean isAccepted() {
        return rejection == null;
    }
}
