package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.auth.CertificateIdentity;
import io.pathsec.engine.ike.message.IdType;
import io.pathsec.engine.ike.message.IkeIdPayload;
import io.pathsec.engine.policy.AddressRange;

import javax.security.auth.x500.X500Principal;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * An IKE identity as a user writes it (RFC 7296 §3.5): an IP literal is ID_IPV4_ADDR or
 * ID_IPV6_ADDR, a distinguished name ("CN=alice, O=Example") ID_DER_ASN1_DN, a string with '@'
 * ID_RFC822_ADDR, anything else ID_FQDN.
 *
 * @param dn the name when this is ID_DER_ASN1_DN, else null; built from a certificate it keeps
 *           the certificate's exact DER, which peers that compare octets need
 */
public record IkeIdentity(String text, X500Principal dn) {
    public IkeIdentity {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an IKE identity must not be empty");
        }
    }

    public IkeIdentity(String text) {
        this(text, text == null ? null : distinguishedName(text));
    }

    /** The subject of a certificate as an ID_DER_ASN1_DN identity, with its DER as in the certificate. */
    public static IkeIdentity of(X500Principal subject) {
        return new IkeIdentity(subject.getName(X500Principal.RFC2253), subject);
    }

    /**
     * The identity to send with this certificate: the certificate's own subject DER when this
     * is its DN, else this identity if the certificate names it (subjectAltName).
     *
     * @throws IllegalArgumentException "identity does not match certificate", naming both
     */
    public IkeIdentity forCertificate(X509Certificate cert) {
        if (dn != null && dn.equals(cert.getSubjectX500Principal())) {
            return of(cert.getSubjectX500Principal());
        }
        if (!CertificateIdentity.names(cert, payload(true))) {
            throw new IllegalArgumentException("identity does not match certificate: " + text + " is neither the"
                    + " subject nor a subjectAltName of " + CertificateIdentity.describe(cert));
        }
        return this;
    }

    public IkeIdPayload payload(boolean initiator) {
        if (dn != null) {
            return IkeIdPayload.ofDerDn(initiator, dn.getEncoded());
        }
        if (looksLikeAddress(text)) {
            return IkeIdPayload.ofAddress(initiator, AddressRange.parseAddress(text));
        }
        return text.contains("@") ? IkeIdPayload.ofRfc822(initiator, text) : IkeIdPayload.ofFqdn(initiator, text);
    }

    /** Whether a received ID payload names this identity (type and value; DNs as X.500 names). */
    boolean matches(IkeIdPayload id) {
        if (dn != null && id.idType() == IdType.ID_DER_ASN1_DN.value()) {
            try {
                return dn.equals(new X500Principal(id.data()));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        IkeIdPayload ours = payload(id.initiator());
        return ours.idType() == id.idType() && Arrays.equals(ours.data(), id.data());
    }

    /** A received identity in words, for logs and errors. */
    static String describe(IkeIdPayload id) {
        return id.describe();
    }

    /** "CN=…, O=…" parses as an X.500 name; host names and addresses have no '='. */
    private static X500Principal distinguishedName(String s) {
        if (!s.matches("\\s*[A-Za-z][A-Za-z0-9.]*\\s*=.*")) {
            return null;
        }
        try {
            return new X500Principal(s);
        } catch (IllegalArgumentException e) {
            return null; // e.g. "a=b@example.org": an e-mail address after all
        }
    }

    private static boolean looksLikeAddress(String s) {
        return s.matches("[0-9.]+") && s.chars().filter(c -> c == '.').count() == 3 || s.contains(":");
    }

    @Override
    public String toString() {
        return text;
    }
}
