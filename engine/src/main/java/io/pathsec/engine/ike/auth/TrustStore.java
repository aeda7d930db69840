package io.pathsec.engine.ike.auth;

import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The CA certificates a profile trusts, read from one PEM file or every {@code *.pem} / {@code
 * *.crt} file of a directory. It validates a peer's certificate path with the JDK's PKIX
 * (RFC 5280 §6: signatures, validity dates, basic constraints and the CAs' key usage), checks that
 * the end-entity key may sign (digitalSignature, RFC 4945 §5.1.3.2), and names its CAs in CERTREQ
 * payloads (RFC 7296 §3.7). Revocation (CRL, OCSP) is not checked.
 */
public final class TrustStore {
    private final List<X509Certificate> cas;
    private final Set<TrustAnchor> anchors = new HashSet<>();

    private TrustStore(List<X509Certificate> cas) {
        this.cas = List.copyOf(cas);
        for (X509Certificate ca : cas) {
            anchors.add(new TrustAnchor(ca, null));
        }
    }

    public static TrustStore of(List<X509Certificate> cas) {
        if (cas.isEmpty()) {
            throw new IllegalArgumentException("a trust store needs at least one CA certificate");
        }
        return new TrustStore(cas);
    }

    /** CA certificates from a PEM file, or from every .pem/.crt/.cer file of a directory. */
    public static TrustStore load(Path fileOrDirectory) throws CredentialException {
        List<X509Certificate> cas = new ArrayList<>();
        if (Files.isDirectory(fileOrDirectory)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(fileOrDirectory)) {
                files = s.filter(p -> p.getFileName().toString().matches(".*\\.(pem|crt|cer)"))
                        .filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new CredentialException(fileOrDirectory + ": cannot list: " + e.getMessage(), e);
            }
            for (Path f : files) {
                cas.addAll(PemFiles.certificates(f));
            }
            if (cas.isEmpty()) {
                throw new CredentialException(fileOrDirectory + " holds no CA certificate (*.pem, *.crt)");
            }
        } else {
            cas.addAll(PemFiles.certificates(fileOrDirectory));
        }
        return checked(fileOrDirectory.toString(), cas);
    }

    /** CA certificates from PEM text (a daemon profile's {@code ca}). */
    public static TrustStore fromPem(String what, String pem) throws CredentialException {
        return checked(what, PemFiles.certificates(what, pem));
    }

    private static TrustStore checked(String what, List<X509Certificate> cas) throws CredentialException {
        for (X509Certificate ca : cas) {
            if (ca.getBasicConstraints() < 0) {
                throw new CredentialException(what + ": " + CertificateIdentity.describe(ca)
                        + " is not a CA certificate (no basicConstraints cA=TRUE)");
            }
        }
        return new TrustStore(cas);
    }

    public List<X509Certificate> certificates() {
        return cas;
    }

    /** SHA-1 of each CA's SubjectPublicKeyInfo, the X.509 CERTREQ authority (§3.7). */
    public List<byte[]> caKeyHashes() {
        return cas.stream().map(TrustStore::keyHash).toList();
    }

    static byte[] keyHash(X509Certificate cert) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(cert.getPublicKey().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** The trusted CA that issued {@code cert} directly, if any. */
    X509Certificate issuerOf(X509Certificate cert) {
        X500Principal issuer = cert.getIssuerX500Principal();
        for (X509Certificate ca : cas) {
            if (ca.getSubjectX500Principal().equals(issuer)) {
                try {
                    cert.verify(ca.getPublicKey());
                    return ca;
                } catch (java.security.GeneralSecurityException e) {
                    // same name, other key: keep looking
                }
            }
        }
        return null;
    }

    /**
     * Validates the peer's end-entity certificate with the intermediates it sent.
     *
     * @param peerRole "gateway" or "client", for the words
     * @throws AuthenticationFailure CERTIFICATE_NOT_TRUSTED saying why
     */
    public void validate(X509Certificate endEntity, List<X509Certificate> intermediates, Instant now, String peerRole)
            throws AuthenticationFailure {
        String who = "the " + peerRole + "'s certificate " + CertificateIdentity.describe(endEntity);
        try {
            endEntity.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw notTrusted(who + " expired on " + endEntity.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw notTrusted(who + " is not valid before " + endEntity.getNotBefore().toInstant());
        }
        boolean[] usage = endEntity.getKeyUsage();
        if (usage != null && !usage[0] && !usage[1]) {
            throw notTrusted(who + " has a key usage without digitalSignature: its key may not sign AUTH");
        }
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(endEntity);
        try {
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setRevocationEnabled(false); // no CRL/OCSP: see docs/certificates.md
            params.setDate(Date.from(now));
            List<X509Certificate> pool = new ArrayList<>(intermediates);
            pool.add(endEntity);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX")
                    .build(params);
            if (result.getTrustAnchor() == null) {
                throw notTrusted(who + " does not chain to a CA of the trust store");
            }
        } catch (CertPathBuilderException e) {
            throw notTrusted(who + ", issued by \"" + endEntity.getIssuerX500Principal().getName(X500Principal.RFC2253)
                    + "\", does not chain to a CA of the trust store " + names() + " (PKIX: " + e.getMessage() + ")");
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("PKIX is part of every JDK", e);
        }
    }

    private String names() {
        return cas.stream().map(c -> "\"" + c.getSubjectX500Principal().getName(X500Principal.RFC2253) + "\"").toList()
                .toString();
    }

    private static AuthenticationFailure notTrusted(String detail) {
        return new AuthenticationFailure(AuthenticationFailure.Kind.CERTIFICATE_NOT_TRUSTED, detail);
    }

    @Override
    public String toString() {
        return "TrustStore" + names();
    }
}
