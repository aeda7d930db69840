package io.pathsec.engine.ike.crypto;

import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.InvalidSyntaxException;
import org.bouncycastle.crypto.agreement.DHStandardGroups;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Group 14, the 2048-bit MODP group of RFC 3526 §3. Public values and g^ir are big-endian and
 * zero-padded to the modulus length (RFC 7296 §3.4, §2.14).
 */
public final class ModpDiffieHellman implements DiffieHellman {
    private static final BigInteger P = DHStandardGroups.rfc3526_2048.getP();
    private static final BigInteger G = DHStandardGroups.rfc3526_2048.getG();
    private static final int LENGTH = 256;
    /** 256-bit exponents: twice the ~110-bit strength RFC 3526 §8 gives this group, rounded up. */
    private static final int EXPONENT_LENGTH = 32;

    private final BigInteger privateExponent;
    private final byte[] publicValue;

    ModpDiffieHellman(byte[] privateExponent) {
        this.privateExponent = new BigInteger(1, privateExponent);
        this.publicValue = toFixed(G.modPow(this.privateExponent, P));
    }

    static ModpDiffieHellman generate(SecureRandom random) {
        byte[] x = new byte[EXPONENT_LENGTH];
        do {
            random.nextBytes(x);
        } while (new BigInteger(1, x).signum() == 0);
        return new ModpDiffieHellman(x);
    }

    @Override
    public DhGroup group() {
        return DhGroup.MODP_2048;
    }

    @Override
    public byte[] publicValue() {
        return publicValue.clone();
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublicValue) throws InvalidSyntaxException {
        if (peerPublicValue.length != LENGTH) {
            throw new InvalidSyntaxException("MODP-2048 public value of " + peerPublicValue.length + " octets");
        }
        BigInteger y = new BigInteger(1, peerPublicValue);
        // RFC 6989 §2.1 / SP 800-56A: 1 < y < p-1, which rules out the degenerate values 0, 1, p-1.
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
            throw new InvalidSyntaxException("MODP-2048 public value out of range");
        }
        return toFixed(y.modPow(privateExponent, P));
    }

    private static byte[] toFixed(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[LENGTH];
        int n = Math.min(raw.length, LENGTH);
        System.arraycopy(raw, raw.length - n, out, LENGTH - n, n);
        return out;
    }
}
