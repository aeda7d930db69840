package io.pathsec.engine.ike.crypto;

/**
 * The ICV of an SK/SKF payload did not verify. Unlike protocol errors this is never answered:
 * RFC 7296 §2.21.2 says such a message is discarded, it may be forged.
 */
public final class IkeIntegrityException extends Exception {
    public IkeIntegrityException(String message) {
        super(message);
    }
}
