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
import java.security.PrivateKey;
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

    /**
     * For profile files an administrator writes (IkeTunnelService, IkeGatewayService): cert, key
     * and ca are paths; ca may also be a directory of CA certificates.
     *
     * @param psk the key's octets, or null
     */
    public static IkeProfileAuth fromFiles(String auth, byte[] psk, String cert, String key, String ca, String localId)
            throws InvalidField {
        if (!certificate(auth, psk, cert, key, ca)) {
            return new IkeProfileAuth(new PskAuthenticator(psk), identity(localId, "our IKE identity"));
        }
        List<X509Certificate> chain = field("cert", () -> PemFiles.certificates(Path.of(cert)));
        PrivateKey privateKey = field("key", () -> PemFiles.privateKey(Path.of(key)));
        TrustStore trust = field("ca", () -> TrustStore.load(Path.of(ca)));
        return certificate(chain, privateKey, cert + " and " + key, trust, localId);
    }

    /**
     * {@link #fromFiles} for the services' JSON profile files, whose errors are one line: the
     * field, then the problem.
     *
     * @param psk the key as text (UTF-8), or null
     */
    public static IkeProfileAuth fromProfileFile(String auth, String psk, String cert, String key, String ca,
                                                 String localId) {
        try {
            return fromFiles(auth, psk == null ? null : psk.getBytes(java.nio.charset.StandardCharsets.UTF_8), cert,
                    key, ca, localId);
        } catch (InvalidField e) {
            throw new IllegalArgumentException(e.field() + ": " + e.getMessage(), e);
        }
    }

    /**
     * For daemon profiles: cert, key and ca are PEM text (the CLI reads "@file:PATH" with the
     * user's permissions; the daemon never opens a path a client names).
     */
    public static IkeProfileAuth fromPem(String auth, byte[] psk, String cert, String key, String ca, String localId)
            throws InvalidField {
        if (!certificate(auth, psk, cert, key, ca)) {
            return new IkeProfileAuth(new PskAuthenticator(psk), identity(localId, "our IKE identity"));
        }
        List<X509Certificate> chain = field("cert", () -> PemFiles.certificates("cert", pem("cert", cert)));
        PrivateKey privateKey = field("key", () -> PemFiles.privateKey("key", pem("key", key)));
        TrustStore trust = field("ca", () -> TrustStore.fromPem("ca", pem("ca", ca)));
        return certificate(chain, privateKey, "cert and key", trust, localId);
    }

    /** Whether the fields ask for certificates; checks the fields that do not fit the method. */
    private static boolean certificate(String auth, byte[] psk, String cert, String key, String ca)
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
            return false;
        }
        if (!method.equals(CERTIFICATE)) {
            throw new InvalidField("auth", "must be \"psk\" or \"certificate\", not \"" + auth + "\"");
        }
        if (psk != null) {
            throw new InvalidField("psk", "given with auth \"certificate\"; leave it out");
        }
        required("cert", cert);
        required("key", key);
        required("ca", ca);
        return true;
    }

    private static IkeProfileAuth certificate(List<X509Certificate> chain, PrivateKey key, String what,
                                              TrustStore trust, String localId) throws InvalidField {
        // A key that is not the certificate's: the key field is at fault.
        LocalCredential own = field("key", () -> LocalCredential.of(chain, key, what));
        IkeIdentity id;
        try {
            id = localId == null || localId.isBlank() ? IkeIdentity.of(own.certificate().getSubjectX500Principal())
                    : new IkeIdentity(localId).forCertificate(own.certificate());
        } catch (IllegalArgumentException e) {
            throw new InvalidField("localId", e.getMessage());
        }
        return new IkeProfileAuth(new CertificateAuthenticator(own, trust), id);
    }

    private interface Read<T> {
        T read() throws CredentialException;
    }

    private static <T> T field(String field, Read<T> read) throws InvalidField {
        try {
            return read.read();
        } catch (CredentialException e) {
            throw new InvalidField(field, e.getMessage());
        }
    }

    private static String pem(String field, String text) throws CredentialException {
        if (!text.contains("-----BEGIN ")) {
            throw new CredentialException("must be PEM text (-----BEGIN …); in a profile file for 'pathsec profiles"
                    + " add' write \"@file:PATH\" and the CLI reads the file");
        }
        return text;
    }

    private static IkeIdentity identity(String text, String what) throws InvalidField {
        if (text == null || text.isBlank()) {
            throw new InvalidField("localId", "missing; " + what);
        }
        return new IkeIdentity(text);
    }

    private static void required(String field, String value) throws InvalidField {
        if (value == null || value.isBlank()) {
            throw new InvalidField(field, "missing; auth \"certificate\" needs cert (our certificate, PEM), key"
                    + " (its private key, PEM) and ca (the CA certificates we trust)");
        }
    }
}
