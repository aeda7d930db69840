package io.pathsec.engine.ike.message;

import java.util.Optional;

/**
 * Payload Type values of the Next Payload field (RFC 7296 §3.2; SKF from RFC 7383 §2.5).
 * Types not listed here decode as {@link IkeUnsupportedPayload}.
 */
public enum PayloadType {
    NO_NEXT_PAYLOAD(0),
    SA(33),
    KE(34),
    IDI(35),
    IDR(36),
    CERT(37),
    CERTREQ(38),
    AUTH(39),
    NONCE(40),
    NOTIFY(41),
    DELETE(42),
    VENDOR_ID(43),
    TSI(44),
    TSR(45),
    SK(46),
    CP(47),
    EAP(48),
    SKF(53);

    private final int value;

    PayloadType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<PayloadType> fromValue(int value) {
        for (PayloadType t : values()) {
            if (t.value == value) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
