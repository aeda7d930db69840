package io.pathsec.engine.ike.message;

import java.util.Optional;

/** Certificate Encoding of CERT and CERTREQ payloads (RFC 7296 §3.6). */
public enum CertEncoding {
    PKCS7_WRAPPED_X509(1),
    PGP(2),
    DNS_SIGNED_KEY(3),
    X509_SIGNATURE(4),
    KERBEROS_TOKEN(6),
    CRL(7),
    ARL(8),
    SPKI(9),
    X509_ATTRIBUTE(10),
    RAW_RSA_KEY(11),
    HASH_URL_X509_CERT(12),
    HASH_URL_X509_BUNDLE(13);

    private final int value;

    CertEncoding(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<CertEncoding> fromValue(int value) {
        for (CertEncoding v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
