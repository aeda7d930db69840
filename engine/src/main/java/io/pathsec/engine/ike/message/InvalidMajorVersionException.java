package io.pathsec.engine.ike.message;

/**
 * The header's major version is not 2 (RFC 7296 §2.5): answered with INVALID_MAJOR_VERSION,
 * sent with the highest version we support.
 */
public final class InvalidMajorVersionException extends IkeProtocolException {
    private final int majorVersion;

    public InvalidMajorVersionException(int majorVersion) {
        super(NotifyType.INVALID_MAJOR_VERSION, "unsupported IKE major version " + majorVersion);
        this.majorVersion = majorVersion;
    }

    public int majorVersion() {
        return majorVersion;
    }
}
