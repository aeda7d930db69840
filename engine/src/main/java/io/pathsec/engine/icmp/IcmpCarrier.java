package io.pathsec.engine.icmp;

import io.pathsec.engine.control.api.IcmpOutcome;
import io.pathsec.engine.policy.SecurityAssociation;

/**
 * Carries an ICMP error to the peer by other means than the data SA of the quoted packet: the
 * explicit ICMP CHILD_SA (negotiated on demand, queued until up) or an IKE INFORMATIONAL relay.
 * Implemented where IKE lives; a tunnel without IKE (static keys) has none.
 */
public interface IcmpCarrier {
    /** What became of one error, and why, in words for the decision event. */
    record Result(IcmpOutcome outcome, String sa, String reason, String words) {
    }

    /**
     * Takes one error (the whole IP packet, a copy the carrier may keep).
     *
     * @param dataSa the outbound SA that carried the quoted packet's flow back, i.e. the peer to reach
     */
    Result carry(byte[] packet, IcmpErrorMessage message, SecurityAssociation dataSa);
}
