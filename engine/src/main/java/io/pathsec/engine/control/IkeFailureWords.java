package io.pathsec.engine.control;

import io.pathsec.engine.ike.session.IkeSessionException;

/**
 * Why an IKE connection failed, in the words a user and the GUI show ("authentication failed",
 * "gateway unreachable", "no proposal chosen"), followed by the session's own details.
 */
final class IkeFailureWords {
    private IkeFailureWords() {
    }

    static String of(IkeSessionException e) {
        String words = words(e.reason());
        String message = e.getMessage() == null ? "" : e.getMessage();
        // Some session messages already start with the words ("authentication failed: …"): say them once.
        return message.regionMatches(true, 0, words, 0, words.length()) ? message
                : message.isEmpty() ? words : words + ": " + message;
    }

    static String words(IkeSessionException.Reason reason) {
        return switch (reason) {
            case AUTHENTICATION_FAILED -> "authentication failed";
            case NO_PROPOSAL_CHOSEN -> "no proposal chosen";
            case TIMEOUT, PEER_UNREACHABLE -> "gateway unreachable";
            case TS_UNACCEPTABLE -> "traffic selectors refused";
            case INTERNAL_ADDRESS_FAILURE -> "no virtual address assigned";
            case PEER_DELETED -> "closed by the gateway";
            case PROTOCOL_ERROR -> "protocol error";
            case TRANSPORT_MODE_REFUSED -> "transport mode refused";
            case CERTIFICATE_NOT_TRUSTED -> "certificate not trusted";
            case IDENTITY_MISMATCH -> "identity does not match certificate";
            case SIGNATURE_INVALID -> "signature invalid";
        };
    }
}
