package io.pathsec.engine.ike.crypto;

import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.InvalidSyntaxException;

import java.security.SecureRandom;

/**
 * One side of a Diffie-Hellman exchange (RFC 7296 §1.2, KE payload §3.4). The public value is
 * in the wire form of the group; the shared secret g^ir is what SKEYSEED consumes. A peer
 * value that is malformed or fails validation (wrong length, point not on the curve, an
 * all-zero X25519 result) is INVALID_SYNTAX.
 */
public sealed interface DiffieHellman permits ModpDiffieHellman, EcpDiffieHellman, X25519DiffieHellman {
    DhGroup group();

    /** Key Exchange Data for our KE payload. */
    byte[] publicValue();

    /** g^ir from the peer's Key Exchange Data. */
    byte[] sharedSecret(byte[] peerPublicValue) throws InvalidSyntaxException;

    /** A fresh key pair; {@code random} is the only source of the private value. */
    static DiffieHellman generate(DhGroup group, SecureRandom random) {
        return switch (group) {
            case MODP_2048 -> ModpDiffieHellman.generate(random);
            case ECP_256, ECP_384 -> EcpDiffieHellman.generate(group, random);
            case CURVE25519 -> X25519DiffieHellman.generate(random);
            case NONE -> throw new IllegalArgumentException("no Diffie-Hellman group");
        };
    }
}
