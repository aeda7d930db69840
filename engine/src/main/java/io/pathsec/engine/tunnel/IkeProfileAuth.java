package io.pathsec.engine.tunnel;

import io.pathsec.engine.ike.auth.Authenticator;
import io.pathsec.engine.ike.auth.CertificateAuthenticator;
import io.pathsec.engine.ike.auth.CredentialException;
import io.pathsec.engine.ike.auth.LocalCredential;
import io.pathsec.engine.ike.auth.PemFiles;
import io.pathsec.engine.ike.auth.PskAuthenticator;
import io.pathsec.engine.ike.auth.TrustStore;
import io.pathsec.engine.ike.session.IkeIdentity;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The authentication fields that client and gateway profiles share, checked together:
 * {@code auth} ("psk", the default, or "certificate"), {@code psk}, or {@code cert}, {@code key}
 * and {@code ca} (PEM files) and {@code localId}. With a certificate the local identity may be
 * left out (the certificate's subject DN is used); when given, the certificate must name it.
 *
 * @param authenticator how we prove ourselves and check the peer
 * @param localIdentity what we send as IDi/IDr
 */
public record IkeProfileAuth(Authenticator authenticator, IkeIdentity localIdentity) {
    public static final String PSK = "psk";
    public static final String CERTIFICATE = "certificate";

    /** A profile field that is missing or wrong, by its name in the profile. */
    public static final class InvalidField extends Exception {
        private final String field;

        public InvalidField(String field, String problem) {
            super(problem);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** @param psk the key's octets, or null */
    public static IkeProfileAuth of(String auth, byte[] psk, String cert, String key, String ca, String localId)
            throws InvalidField {
        String method = auth == null ? PSK : auth.trim().toLowerCase();
        if (method.equals(PSK)) {
            if (psk == null || psk.length == 0) {
                throw new InvalidField("psk", "missing; the pre-shared key (or auth: \"certificate\" with cert, key, ca)");
            }
            for (String[] f : new String[][] {{"cert", cert}, {"key", key}, {"ca", ca}}) {
                if (f[1] != null) {
                    throw new InvalidField(f[0], "given with auth \"psk\"; set auth to \"certificate\" to use it");
                }
            }
            return new IkeProfileAuth(new PskAuthenticator(psk), identity(localId, "our IKE identity"));
        }
        if (!method.equals(CERTIFICATE)) {
            throw new InvalidField("auth", "must be \"psk\" or \"certificate\", not \"" + auth + "\"");
        }
        if (psk != null) {
            throw new InvalidField("psk", "given with auth \"certificate\"; leave it out");
        }
        List<X509Certificate> chain;
        try {
            chain = PemFiles.certificates(Path.of(required("cert", cert)));
        } catch (CredentialException e) {
            throw new InvalidField("cert", e.getMessage());
        }
        LocalCredential own;
        try {
            // A key that is unreadable or not the certificate's: the key field is at fault.
            own = LocalCredential.of(chain, PemFiles.privateKey(Path.of(required("key", key))), cert + " and " + key);
        } catch (CredentialException e) {
            throw new InvalidField("key", e.getMessage());
        }
        TrustStore trust;
        try {
            trust = TrustStore.load(Path.of(required("ca", ca)));
        } catch (CredentialException e) {
            throw new InvalidField("ca", e.getMessage());
        }
        IkeIdentity id;
        try {
            id = localId == null || localId.isBlank() ? IkeIdentity.of(own.certificate().getSubjectX500Principal())
                    : new IkeIdentity(localId).forCertificate(own.certificate());
        } catch (IllegalArgumentException e) {
            throw new InvalidField("localId", e.getMessage());
        }
        return new IkeProfileAuth(new CertificateAuthenticator(own, trust), id);
    }

    private static IkeIdentity identity(String text, String what) throws InvalidField {
        if (text == null || text.isBlank()) {
            throw new InvalidField("localId", "missing; " + what);
        }
        return new IkeIdentity(text);
    }

    private static String required(String field, String value) throws InvalidField {
        if (value == null || value.isBlank()) {
            throw new InvalidField(field, "missing; auth \"certificate\" needs cert (our certificate, PEM), key"
                    + " (its private key, PEM) and ca (the CA certificates we trust: a PEM file or a directory)");
        }
        return value;
    }
}
