package io.pathsec.engine.ike.message;

/**
 * The peer's KE payload uses a group we did not choose or do not accept (RFC 7296 §1.2,
 * §3.10.1): INVALID_KE_PAYLOAD carries the two-octet group we expect instead.
 */
public final class InvalidKePayloadException extends IkeProtocolException {
    private final int expectedGroup;

    public InvalidKePayloadException(int expectedGroup, String message) {
        super(NotifyType.INVALID_KE_PAYLOAD, message);
        this.expectedGroup = expectedGroup;
    }

    public int expectedGroup() {
        return expectedGroup;
    }

    @Override
    public byte[] errorData() {
        return new byte[] {(byte) (expectedGroup >> 8), (byte) expectedGroup};
    }
}
