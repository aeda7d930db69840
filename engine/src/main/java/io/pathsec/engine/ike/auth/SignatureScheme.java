package io.pathsec.engine.ike.auth;

import io.pathsec.engine.ike.message.HashAlgorithm;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The signature algorithms PathSec signs AUTH with under the Digital Signature method (RFC 7427
 * §3), each with the DER AlgorithmIdentifier that goes before the signature. The encodings are
 * those of RFC 7427 Appendix A: parameters NULL for PKCS#1 v1.5, absent for ECDSA (RFC 5758
 * §3.2). RSASSA-PSS, which carries parameters, is understood on receipt by
 * {@link SignatureAuthData#verifier}.
 */
public enum SignatureScheme {
    /** sha256WithRSAEncryption (RFC 7427 A.1.2). */
    RSA_PKCS1_SHA256("300d06092a864886f70d01010b0500", "SHA256withRSA", HashAlgorithm.SHA2_256),
    /** sha384WithRSAEncryption (A.1.3). */
    RSA_PKCS1_SHA384("300d06092a864886f70d01010c0500", "SHA384withRSA", HashAlgorithm.SHA2_384),
    /** sha512WithRSAEncryption (A.1.4). */
    RSA_PKCS1_SHA512("300d06092a864886f70d01010d0500", "SHA512withRSA", HashAlgorithm.SHA2_512),
    /** ecdsa-with-sha256 (A.3.2). */
    ECDSA_SHA256("300a06082a8648ce3d040302", "SHA256withECDSA", HashAlgorithm.SHA2_256),
    /** ecdsa-with-sha384 (A.3.3). */
    ECDSA_SHA384("300a06082a8648ce3d040303", "SHA384withECDSA", HashAlgorithm.SHA2_384),
    /** ecdsa-with-sha512 (A.3.4). */
    ECDSA_SHA512("300a06082a8648ce3d040304", "SHA512withECDSA", HashAlgorithm.SHA2_512);

    private final byte[] algorithmIdentifier;
    private final String jcaName;
    private final HashAlgorithm hash;

    SignatureScheme(String algorithmIdentifierHex, String jcaName, HashAlgorithm hash) {
        this.algorithmIdentifier = HexFormat.of().parseHex(algorithmIdentifierHex);
        this.jcaName = jcaName;
        this.hash = hash;
    }

    /** The DER AlgorithmIdentifier (RFC 7427 §3). */
    public byte[] algorithmIdentifier() {
        return algorithmIdentifier.clone();
    }

    public String jcaName() {
        return jcaName;
    }

    public HashAlgorithm hash() {
        return hash;
    }

    boolean isEcdsa() {
        return jcaName.endsWith("ECDSA");
    }

    /** The scheme whose AlgorithmIdentifier is exactly these octets. */
    static Optional<SignatureScheme> fromAlgorithmIdentifier(byte[] der) {
        for (SignatureScheme s : values()) {
            if (java.util.Arrays.equals(s.algorithmIdentifier, der)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * What we sign with for this key, given the hashes the peer announced in
     * SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4): ECDSA pairs the hash with the curve (RFC 5656
     * §6.2.1's rule, also RFC 4754's methods); RSA uses SHA-256 unless only another is offered.
     */
    static Optional<SignatureScheme> choose(PublicKey key, java.util.Set<HashAlgorithm> peerHashes) {
        SignatureScheme[] preference;
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            preference = bits > 384 ? new SignatureScheme[] {ECDSA_SHA512, ECDSA_SHA384, ECDSA_SHA256}
                    : bits > 256 ? new SignatureScheme[] {ECDSA_SHA384, ECDSA_SHA512, ECDSA_SHA256}
                    : new SignatureScheme[] {ECDSA_SHA256, ECDSA_SHA384, ECDSA_SHA512};
        } else if (key instanceof RSAPublicKey) {
            preference = new SignatureScheme[] {RSA_PKCS1_SHA256, RSA_PKCS1_SHA384, RSA_PKCS1_SHA512};
        } else {
            return Optional.empty();
        }
        for (SignatureScheme s : preference) {
            if (peerHashes.contains(s.hash)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
