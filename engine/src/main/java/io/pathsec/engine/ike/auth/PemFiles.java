package io.pathsec.engine.ike.auth;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the PEM files of certificates and private keys (RFC 7468): "CERTIFICATE",
 * "PRIVATE KEY" (PKCS#8), and OpenSSL's "EC PRIVATE KEY" / "RSA PRIVATE KEY". Every error names
 * the file.
 */
public final class PemFiles {
    private PemFiles() {
    }

    /** Every certificate in the file, in order; at least one. */
    public static List<X509Certificate> certificates(Path file) throws CredentialException {
        List<X509Certificate> out = new ArrayList<>();
        for (Object o : objects(file)) {
            if (o instanceof X509CertificateHolder holder) {
                out.add(certificate(file.toString(), holder));
            }
        }
        if (out.isEmpty()) {
            throw new CredentialException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /** The one private key in the file. */
    public static PrivateKey privateKey(Path file) throws CredentialException {
        return privateKey(file.toString(), objects(file));
    }

    /** The one private key in PEM text (a daemon profile's secret). */
    public static PrivateKey privateKey(String what, String pem) throws CredentialException {
        return privateKey(what, parse(what, new StringReader(pem)));
    }

    private static PrivateKey privateKey(String file, List<Object> objects) throws CredentialException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o : objects) {
            try {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1/PKCS#1, public part optional
                }
            } catch (IOException e) {
                throw new CredentialException(file + ": unreadable private key: " + e.getMessage(), e);
            }
            if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                throw new CredentialException(file + " holds an encrypted private key; PathSec needs it unencrypted"
                        + " (keep the file mode 0600), e.g. openssl pkey -in FILE -out KEY.pem");
            }
        }
        throw new CredentialException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    /** PEM text of certificates and keys, in the order given. */
    public static String encode(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                if (o instanceof PrivateKey key) {
                    w.writeObject(new JcaPKCS8Generator(key, null)); // "PRIVATE KEY", unencrypted PKCS#8 (RFC 7468 §10)
                } else {
                    w.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("PEM into memory", e); // JcaPKCS8Generator's PemGenerationException too
        }
        return text.toString();
    }

    /** Parses certificates from PEM text (a CERT payload test, an imported .sswan file). */
    public static List<X509Certificate> certificates(String what, String pem) throws CredentialException {
        List<X509Certificate> out = new ArrayList<>();
        for (Object o : parse(what, new StringReader(pem))) {
            if (o instanceof X509CertificateHolder holder) {
                out.add(certificate(what, holder));
            }
        }
        if (out.isEmpty()) {
            throw new CredentialException(what + " holds no PEM certificate");
        }
        return out;
    }

    private static X509Certificate certificate(String file, X509CertificateHolder holder) throws CredentialException {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new CredentialException(file + ": unreadable certificate: " + e.getMessage(), e);
        }
    }

    private static List<Object> objects(Path file) throws CredentialException {
        if (!Files.exists(file)) {
            throw new CredentialException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new CredentialException(file + " is not a file");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            return parse(file.toString(), r);
        } catch (NoSuchFileException e) {
            throw new CredentialException(file + ": no such file", e);
        } catch (IOException e) {
            throw new CredentialException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static List<Object> parse(String what, Reader reader) throws CredentialException {
        List<Object> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                out.add(o);
            }
        } catch (IOException | RuntimeException e) {
            // PEMParser throws on bad base64 or a broken structure: "not PEM" in the user's words.
            throw new CredentialException(what + " is not readable PEM: " + e.getMessage(), e);
        }
        return out;
    }
}
