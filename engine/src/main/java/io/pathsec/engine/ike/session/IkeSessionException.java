package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.auth.AuthenticationFailure;

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
        TRANSPORT_MODE_REFUSED,
        /** The peer's certificate is missing, expired, or does not chain to a CA of our trust store. */
        CERTIFICATE_NOT_TRUSTED,
        /** The peer's ID payload names someone its certificate does not. */
        IDENTITY_MISMATCH,
        /** The peer's AUTH signature does not verify with its certificate's key. */
        SIGNATURE_INVALID
    }

    private final Reason reason;

    public IkeSessionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Our verdict on the peer's AUTH, with the reason that names the remedy. */
    public static IkeSessionException of(AuthenticationFailure f) {
        Reason reason = switch (f.kind()) {
            case PSK_MISMATCH -> Reason.AUTHENTICATION_FAILED;
            case CERTIFICATE_NOT_TRUSTED -> Reason.CERTIFICATE_NOT_TRUSTED;
            case IDENTITY_MISMATCH -> Reason.IDENTITY_MISMATCH;
            case SIGNATURE_INVALID -> Reason.SIGNATURE_INVALID;
        };
        return new IkeSessionException(reason, f.getMessage());
    }

    public Reason reason() {
        return reason;
    }
}
