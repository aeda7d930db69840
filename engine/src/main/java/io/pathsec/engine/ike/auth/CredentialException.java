package io.pathsec.engine.ike.auth;

/**
 * A certificate, key or CA file that cannot be used, in words that name the file and what is
 * wrong with it ("no such file", "not PEM", "the key does not belong to the certificate").
 */
public final class CredentialException extends Exception {
    public CredentialException(String message) {
        super(message);
    }

    public CredentialException(String message, Throwable cause) {
        super(message, cause);
    }
}
