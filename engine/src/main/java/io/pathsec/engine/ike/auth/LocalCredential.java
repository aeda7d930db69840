package io.pathsec.engine.ike.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

/**
 * Our own certificate (first in its file, intermediates after it) and its private key. Loading
 * checks what would otherwise only fail in the peer's log: that the key belongs to the
 * certificate, that the key type is one we sign with, and that the certificate may sign.
 */
public final class LocalCredential {
    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private LocalCredential(List<X509Certificate> chain, PrivateKey key) {
        this.chain = List.copyOf(chain);
        this.key = key;
    }

    public static LocalCredential load(Path certificateFile, Path keyFile) throws CredentialException {
        List<X509Certificate> chain = PemFiles.certificates(certificateFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        return of(chain, key, certificateFile + " and " + keyFile);
    }

    /** @param what the files, for the words of an error */
    public static LocalCredential of(List<X509Certificate> chain, PrivateKey key, String what)
            throws CredentialException {
        X509Certificate cert = chain.get(0);
        checkKeyBelongs(cert, key, what);
        boolean[] usage = cert.getKeyUsage();
        if (usage != null && !usage[0] && !usage[1]) {
            throw new CredentialException(what + ": the certificate's key usage lacks digitalSignature; peers will"
                    + " refuse its AUTH");
        }
        return new LocalCredential(chain, key);
    }

    /** The key is RSA or ECDSA and belongs to the certificate (a CA's too). */
    public static void checkKeyBelongs(X509Certificate cert, PrivateKey key, String what) throws CredentialException {
        PublicKey pub = cert.getPublicKey();
        if (!(pub instanceof RSAPublicKey) && !(pub instanceof ECPublicKey)) {
            throw new CredentialException(what + ": the certificate's key is " + pub.getAlgorithm()
                    + "; PathSec signs with RSA or ECDSA keys");
        }
        if (!pub.getAlgorithm().equals(key.getAlgorithm()) || !signsFor(key, pub)) {
            throw new CredentialException(what + ": the private key does not belong to the certificate "
                    + CertificateIdentity.describe(cert));
        }
    }

    /** A signature with the key verifies with the certificate's public key. */
    private static boolean signsFor(PrivateKey key, PublicKey pub) {
        String algorithm = pub instanceof RSAPublicKey ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = "PathSec key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(pub);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key on another curve
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Our certificate, then the intermediates the file carried. */
    public List<X509Certificate> chain() {
        return chain;
    }

    PrivateKey privateKey() {
        return key;
    }

    @Override
    public String toString() {
        return "LocalCredential[" + CertificateIdentity.describe(certificate()) + ", key hidden]";
    }
}
