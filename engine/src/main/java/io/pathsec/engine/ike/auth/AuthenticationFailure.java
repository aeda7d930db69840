package io.pathsec.engine.ike.auth;

/**
 * The peer's AUTH was not accepted, and why, in words a user can act on. The message starts
 * with the kind's words ("certificate not trusted: …"), so it can be shown as it is.
 */
public final class AuthenticationFailure extends Exception {

    /** What went wrong, each with its own remedy. */
    public enum Kind {
        /** The PSK MIC did not verify (RFC 7296 §2.15): the two ends hold different keys. */
        PSK_MISMATCH("authentication failed"),
        /** No certificate, or one that does not chain to a CA of the trust store, is expired or may not sign. */
        CERTIFICATE_NOT_TRUSTED("certificate not trusted"),
        /** The ID payload names someone the certificate does not (subject or subjectAltName). */
        IDENTITY_MISMATCH("identity does not match certificate"),
        /** The signature does not verify with the certificate's key, or uses an algorithm we refuse. */
        SIGNATURE_INVALID("signature invalid");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private final Kind kind;

    public AuthenticationFailure(Kind kind, String detail) {
        super(kind.words() + ": " + detail);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
