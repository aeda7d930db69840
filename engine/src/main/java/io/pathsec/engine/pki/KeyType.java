package io.pathsec.engine.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

/**
 * The key types {@code pathsec pki} makes, as the command line names them, with the algorithm a
 * CA of that type signs certificates with (SHA-2 sized to the key, RFC 5758 §3.2 for ECDSA).
 */
public enum KeyType {
    ECDSA_P256("ecdsa-p256", "SHA256withECDSA"),
    ECDSA_P384("ecdsa-p384", "SHA384withECDSA"),
    RSA_3072("rsa-3072", "SHA256withRSA");

    private final String cliName;
    private final String signatureAlgorithm;

    KeyType(String cliName, String signatureAlgorithm) {
        this.cliName = cliName;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    public String cliName() {
        return cliName;
    }

    String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator g;
            if (this == RSA_3072) {
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(3072, random);
            } else {
                g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(this == ECDSA_P256 ? "secp256r1" : "secp384r1"), random);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 17 makes " + cliName + " keys", e);
        }
    }

    /** The type a user named: ecdsa-p256, ecdsa-p384 or rsa-3072. */
    public static KeyType fromCliName(String name) {
        for (KeyType t : values()) {
            if (t.cliName.equalsIgnoreCase(name.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown key type '" + name + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(KeyType::cliName).toList()));
    }

    /** The type of an existing key (a CA's), so its certificates are signed with the matching algorithm. */
    static KeyType of(java.security.PublicKey key) {
        if (key instanceof java.security.interfaces.ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() > 256 ? ECDSA_P384 : ECDSA_P256;
        }
        if (key instanceof java.security.interfaces.RSAPublicKey) {
            return RSA_3072;
        }
        throw new IllegalArgumentException("a " + key.getAlgorithm() + " key cannot sign certificates here;"
                + " PathSec's CAs use ECDSA or RSA");
    }
}
