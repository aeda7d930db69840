package io.pathsec.engine.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A certificate and its private key, as {@link CertificateIssuer} makes them and {@link PkiFiles} stores them. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey key) {
    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return "IssuedCertificate[" + certificate.getSubjectX500Principal() + ", key hidden]";
    }
}
