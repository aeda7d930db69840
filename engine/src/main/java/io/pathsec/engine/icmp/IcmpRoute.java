package io.pathsec.engine.icmp;

import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.policy.SecurityAssociation;

/**
 * Where an ICMP error that fits no SA goes: through {@link #sa()} (the implicit option), or
 * nowhere on the data path: counted under {@link #drop()} when discarded or rejected; neither
 * when the explicit ICMP SA's queue or the IKE relay took it over.
 */
public record IcmpRoute(SecurityAssociation sa, DropReason drop) {
    static final IcmpRoute NOT_CARRIED = new IcmpRoute(null, DropReason.ICMP_NOT_CARRIED);
    static final IcmpRoute REJECTED = new IcmpRoute(null, DropReason.ICMP_REJECTED);
    /** Queued for the explicit ICMP SA or relayed in IKE: not a loss, nothing to count on the data path. */
    static final IcmpRoute CARRIED_ELSEWHERE = new IcmpRoute(null, null);
    /** Not an ICMP error: the SPD's refusal stands. */
    static final IcmpRoute NO_POLICY = new IcmpRoute(null, DropReason.POLICY_DISCARD);

    static IcmpRoute via(SecurityAssociation sa) {
        return new IcmpRoute(sa, null);
    }
}
