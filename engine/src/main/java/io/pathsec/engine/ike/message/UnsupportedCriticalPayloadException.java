package io.pathsec.engine.ike.message;

/**
 * A payload we do not understand had its critical bit set (RFC 7296 §2.5): the whole message
 * is rejected with UNSUPPORTED_CRITICAL_PAYLOAD whose data is the one-octet payload type.
 */
public final class UnsupportedCriticalPayloadException extends IkeProtocolException {
    private final int payloadType;

    public UnsupportedCriticalPayloadException(int payloadType) {
        super(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, "unsupported critical payload type " + payloadType);
        this.payloadType = payloadType;
    }

    public int payloadType() {
        return payloadType;
    }

    @Override
    public byte[] errorData() {
        return new byte[] {(byte) payloadType};
    }
}
