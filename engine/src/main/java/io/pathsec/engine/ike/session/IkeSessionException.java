package io.pathsec.engine.ike.session;

/**
 * Why an IKE SA could not be set up or ended: a reason a program can act on and a message a
 * user understands.
 */
public final class IkeSessionException extends Exception {

    /** The families of failure, each with its own remedy. */
    public enum Reason {
        /** The peer refused our AUTH, or its AUTH did not verify: wrong PSK or identity. */
        AUTHENTICATION_FAILED,
        /** No common IKE or ESP algorithms (NO_PROPOSAL_CHOSEN). */
        NO_PROPOSAL_CHOSEN,
        /** The peer did not answer after every retransmission. */
        TIMEOUT,
        /** The traffic selectors were refused (TS_UNACCEPTABLE) or make no sense. */
        TS_UNACCEPTABLE,
        /** No virtual address could be assigned (INTERNAL_ADDRESS_FAILURE, FAILED_CP_REQUIRED). */
        INTERNAL_ADDRESS_FAILURE,
        /** The peer deleted the IKE SA. */
        PEER_DELETED,
        /** An established peer stopped answering: liveness checks or other requests went unanswered (§2.4). */
        PEER_UNREACHABLE,
        /** The peer sent something RFC 7296 does not allow at this point. */
        PROTOCOL_ERROR,
        /** Transport mode was required and the peer answered in tunnel mode (RFC 7296 §1.3.1). */
        TRANSPORT_MODE_REFUSED
    }

    private final Reason reason;

    public IkeSessionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
