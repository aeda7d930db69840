package io.pathsec.engine.ike.message;

/**
 * Protocol ID of proposals, Notify and Delete payloads (RFC 7296 §3.3.1). NONE is the value 0
 * used by Notify payloads that concern no particular SA.
 */
public enum ProtocolId {
    NONE(0, 0),
    IKE(1, 8),
    AH(2, 4),
    ESP(3, 4);

    private final int value;
    private final int spiSize;

    ProtocolId(int value, int spiSize) {
        this.value = value;
        this.spiSize = spiSize;
    }

    public int value() {
        return value;
    }

    /** SPI size in an SA proposal for this protocol (IKE: 8 on rekey, 0 in IKE_SA_INIT). */
    public int spiSize() {
        return spiSize;
    }

    public static ProtocolId fromValue(int value) throws InvalidSyntaxException {
        for (ProtocolId p : values()) {
            if (p.value == value) {
                return p;
            }
        }
        throw new InvalidSyntaxException("unknown protocol id " + value);
    }
}
