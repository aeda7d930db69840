package io.pathsec.engine.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Makes the certificates of a small IKEv2 deployment with BouncyCastle: a self-signed CA, gateway
 * certificates and client certificates, shaped as IKE peers check them (RFC 4945 §5, RFC 5280):
 * <ul>
 *   <li>CA: basicConstraints cA=TRUE and keyUsage keyCertSign, cRLSign (both critical);</li>
 *   <li>gateway: subjectAltName dNSName (and iPAddress for each address), so that ID_FQDN and
 *       ID_IPV4_ADDR identities match; extendedKeyUsage serverAuth and ipsecIKE (RFC 4945
 *       §5.1.3.12; Windows and macOS clients look for serverAuth);</li>
 *   <li>client: subjectAltName rfc822Name for "alice@example.org" (ID_RFC822_ADDR), dNSName for a
 *       host name; extendedKeyUsage clientAuth and ipsecIKE;</li>
 *   <li>end entities: keyUsage digitalSignature (critical): their keys sign AUTH only.</li>
 * </ul>
 * Subjects are "CN=name" so that ID_DER_ASN1_DN identities work as well.
 */
public final class CertificateIssuer {
    /** RFC 4945 §5.1.3.12. */
    private static final KeyPurposeId IPSEC_IKE = KeyPurposeId.getInstance(KeyPurposeId.id_kp_ipsecIKE.toOID());
    /** Clocks of peers differ a little; a certificate made now is valid a few minutes back. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private final Clock clock;
    private final SecureRandom random;

    public CertificateIssuer(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    public CertificateIssuer() {
        this(Clock.systemUTC(), new SecureRandom());
    }

    /** A self-signed CA named {@code commonName}. */
    public IssuedCertificate certificateAuthority(String commonName, KeyType type, Duration validity) {
        KeyPair keys = type.generate(random);
        X500Name name = commonName(commonName);
        try {
            X509v3CertificateBuilder b = builder(name, name, keys.getPublic(), validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            return new IssuedCertificate(sign(b, keys.getPrivate(), type), keys.getPrivate());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("building a CA certificate", e);
        }
    }

    /**
     * A gateway certificate for {@code hostName} and its addresses, signed by {@code ca}.
     *
     * @param addresses iPAddress subjectAltNames, for clients that identify the gateway by address
     */
    public IssuedCertificate gateway(IssuedCertificate ca, String hostName, List<InetAddress> addresses, KeyType type,
                                     Duration validity) {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, hostName));
        for (InetAddress a : addresses) {
            names.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress()));
        }
        return endEntity(ca, hostName, names, KeyPurposeId.id_kp_serverAuth, type, validity);
    }

    /** A client certificate for an e-mail style name (rfc822Name) or a host name (dNSName). */
    public IssuedCertificate client(IssuedCertificate ca, String name, KeyType type, Duration validity) {
        GeneralName alt = new GeneralName(name.contains("@") ? GeneralName.rfc822Name : GeneralName.dNSName, name);
        return endEntity(ca, name, List.of(alt), KeyPurposeId.id_kp_clientAuth, type, validity);
    }

    private IssuedCertificate endEntity(IssuedCertificate ca, String commonName, List<GeneralName> altNames,
                                        KeyPurposeId purpose, KeyType type, Duration validity) {
        if (ca.certificate().getBasicConstraints() < 0) {
            throw new IllegalArgumentException(ca.certificate().getSubjectX500Principal()
                    + " is not a CA certificate (no basicConstraints cA=TRUE)");
        }
        KeyPair keys = type.generate(random);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(X500Name.getInstance(ca.certificate().getSubjectX500Principal()
                    .getEncoded()), commonName(commonName), keys.getPublic(), validity)
                    .addExtension(Extension.basicConstraints, false, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {purpose, IPSEC_IKE}))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(altNames.toArray(new GeneralName[0])))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(ca.certificate().getPublicKey()));
            return new IssuedCertificate(sign(b, ca.key(), KeyType.of(ca.certificate().getPublicKey())),
                    keys.getPrivate());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("building a certificate for " + commonName, e);
        }
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("a certificate must be valid for some time, not " + validity);
        }
        Instant now = clock.instant();
        // 159 random bits: positive, at most 20 octets, unguessable (RFC 5280 §4.1.2.2).
        BigInteger serial = new BigInteger(159, random).setBit(0);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(validity)), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, java.security.PrivateKey key, KeyType signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(signer.signatureAlgorithm()).build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("no signer for " + signer.signatureAlgorithm(), e);
        }
    }

    private static X500Name commonName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a certificate needs a name");
        }
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name.trim()).build();
    }
}
