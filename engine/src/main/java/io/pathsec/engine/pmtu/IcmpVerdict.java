package io.pathsec.engine.pmtu;

/** The outcome of validating one outer ICMP message: accepted for an SA with an MTU, or rejected. */
public record IcmpVerdict(IcmpRejection rejection, PmtuSaView sa, int mtu) {

    static IcmpVerdict rejected(IcmpRejection why) {
        return new IcmpVerdict(why, null, 0);
    }

    static IcmpVerdict accepted(PmtuSaView sa, int mtu) {
        return new IcmpVerdict(null, sa, mtu);
    }

    public boolean isAccepted() {
        return rejection == null;
    }
}
