package io.pathsec.engine.esp;

/**
 * An ESP packet that cannot be opened or built. Thrown on the data path for every bad packet
 * an attacker can send, so it carries no stack trace: filling one in would make a flood of
 * forged packets far more expensive than the ICV check that rejects them.
 */
public final class EspException extends Exception {

    /** Why the packet was rejected; the data path counts each reason separately. */
    public enum Reason {
        /** Too short, wrong SPI or sequence number for this SA, or a length the cipher cannot have. */
        MALFORMED,
        /** The ICV did not verify (RFC 4303 §3.4.4): forged, corrupted or wrong key. */
        AUTHENTICATION_FAILED,
        /** The ICV verified but the padding is not 1, 2, 3, … (RFC 4303 §2.4) or too long. */
        BAD_PADDING,
        /** The JCE refused the operation (for example a nonce reused for encryption). */
        CIPHER_FAILURE
    }

    private final Reason reason;

    public EspException(Reason reason, String message) {
        this(reason, message, null);
    }

    public EspException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
