package io.pathsec.engine.ike.crypto;

import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.InvalidSyntaxException;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Groups 19 and 20, NIST P-256 and P-384 (RFC 5903). The public value is x | y without the
 * 0x04 point-format octet (§7) and g^ir is the x coordinate of the shared point (§9). The
 * peer's point is checked to lie on the curve; P-256/P-384 have cofactor 1, so that suffices.
 */
public final class EcpDiffieHellman implements DiffieHellman {
    private final DhGroup group;
    private final X9ECParameters curve;
    private final int coordinateLength;
    private final BigInteger privateKey;
    private final byte[] publicValue;

    EcpDiffieHellman(DhGroup group, byte[] privateKey) {
        this.group = group;
        this.curve = curveOf(group);
        this.coordinateLength = (curve.getCurve().getFieldSize() + 7) / 8;
        this.privateKey = new BigInteger(1, privateKey);
        ECPoint q = curve.getG().multiply(this.privateKey).normalize();
        this.publicValue = KeyBytes.concat(q.getAffineXCoord().getEncoded(), q.getAffineYCoord().getEncoded());
    }

    static EcpDiffieHellman generate(DhGroup group, SecureRandom random) {
        BigInteger n = curveOf(group).getN();
        byte[] d = new byte[(n.bitLength() + 7) / 8];
        BigInteger k;
        do { // rejection sampling keeps the scalar uniform in [1, n-1]
            random.nextBytes(d);
            k = new BigInteger(1, d);
        } while (k.signum() == 0 || k.compareTo(n) >= 0);
        return new EcpDiffieHellman(group, d);
    }

    private static X9ECParameters curveOf(DhGroup group) {
        return switch (group) {
            case ECP_256 -> CustomNamedCurves.getByName("secp256r1");
            case ECP_384 -> CustomNamedCurves.getByName("secp384r1");
            default -> throw new IllegalArgumentException(group + " is not an ECP group");
        };
    }

    @Override
    public DhGroup group() {
        return group;
    }

    @Override
    public byte[] publicValue() {
        return publicValue.clone();
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublicValue) throws InvalidSyntaxException {
        if (peerPublicValue.length != 2 * coordinateLength) {
            throw new InvalidSyntaxException(group + " public value of " + peerPublicValue.length + " octets");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(peerPublicValue, 0, coordinateLength));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(peerPublicValue, coordinateLength, peerPublicValue.length));
        ECPoint peer;
        try {
            peer = curve.getCurve().validatePoint(x, y); // throws if off the curve or coordinates >= p
        } catch (IllegalArgumentException e) {
            throw new InvalidSyntaxException(group + " public value is not a point on the curve");
        }
        ECPoint shared = peer.multiply(privateKey).normalize();
        if (shared.isInfinity()) {
            throw new InvalidSyntaxException(group + " shared point at infinity");
        }
        return shared.getAffineXCoord().getEncoded();
    }
}
