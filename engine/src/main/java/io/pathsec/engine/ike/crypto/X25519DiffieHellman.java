package io.pathsec.engine.ike.crypto;

import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.InvalidSyntaxException;
import org.bouncycastle.math.ec.rfc7748.X25519;

import java.security.SecureRandom;

/**
 * Group 31, Curve25519 (RFC 8031): 32-octet public values as in RFC 7748, and the all-zero
 * shared secret of a small-order peer value rejected as RFC 8031 §2 requires.
 */
public final class X25519DiffieHellman implements DiffieHellman {
    private final byte[] privateKey;
    private final byte[] publicValue = new byte[X25519.POINT_SIZE];

    X25519DiffieHellman(byte[] privateKey) {
        this.privateKey = privateKey.clone();
        X25519.scalarMultBase(this.privateKey, 0, publicValue, 0);
    }

    static X25519DiffieHellman generate(SecureRandom random) {
        byte[] k = new byte[X25519.SCALAR_SIZE];
        random.nextBytes(k); // clamping happens inside the scalar multiplication (RFC 7748 §5)
        return new X25519DiffieHellman(k);
    }

    @Override
    public DhGroup group() {
        return DhGroup.CURVE25519;
    }

    @Override
    public byte[] publicValue() {
        return publicValue.clone();
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublicValue) throws InvalidSyntaxException {
        if (peerPublicValue.length != X25519.POINT_SIZE) {
            throw new InvalidSyntaxException("Curve25519 public value of " + peerPublicValue.length + " octets");
        }
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(privateKey, 0, peerPublicValue, 0, shared, 0)) {
            throw new InvalidSyntaxException("Curve25519 shared secret is all zero");
        }
        return shared;
    }
}
