package io.pathsec.engine.ike.auth;

import io.pathsec.engine.ike.message.IdType;
import io.pathsec.engine.ike.message.IkeIdPayload;

import javax.security.auth.x500.X500Principal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Whether an ID payload names the holder of a certificate (RFC 4945 §3.1, as strongSwan checks
 * it): ID_DER_ASN1_DN against the subject, ID_FQDN against a dNSName, ID_RFC822_ADDR against an
 * rfc822Name, ID_IPV4_ADDR/ID_IPV6_ADDR against an iPAddress subjectAltName. Names compare
 * case-insensitively; DNs as X.500 names (their canonical form), not as octets.
 */
public final class CertificateIdentity {
    /** GeneralName tags of subjectAltName (RFC 5280 §4.2.1.6). */
    private static final int RFC822_NAME = 1;
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private CertificateIdentity() {
    }

    public static boolean names(X509Certificate cert, IkeIdPayload id) {
        int type = id.idType();
        if (type == IdType.ID_DER_ASN1_DN.value()) {
            try {
                return new X500Principal(id.data()).equals(cert.getSubjectX500Principal());
            } catch (IllegalArgumentException e) {
                return false; // not a DER Name: names no one
            }
        }
        String text = new String(id.data(), StandardCharsets.US_ASCII);
        if (type == IdType.ID_FQDN.value()) {
            return altNames(cert, DNS_NAME).stream().anyMatch(text::equalsIgnoreCase);
        }
        if (type == IdType.ID_RFC822_ADDR.value()) {
            return altNames(cert, RFC822_NAME).stream().anyMatch(text::equalsIgnoreCase);
        }
        if (type == IdType.ID_IPV4_ADDR.value() || type == IdType.ID_IPV6_ADDR.value()) {
            try {
                InetAddress wanted = InetAddress.getByAddress(id.data());
                for (String a : altNames(cert, IP_ADDRESS)) {
                    if (InetAddress.getByName(a).equals(wanted)) { // a literal: no lookup
                        return true;
                    }
                }
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** The names a certificate is good for, for error messages: subject and subjectAltNames. */
    public static String describe(X509Certificate cert) {
        List<String> alt = new ArrayList<>();
        alt.addAll(altNames(cert, DNS_NAME));
        alt.addAll(altNames(cert, RFC822_NAME));
        alt.addAll(altNames(cert, IP_ADDRESS));
        return "\"" + cert.getSubjectX500Principal().getName(X500Principal.RFC2253) + "\""
                + (alt.isEmpty() ? "" : " (alt names " + String.join(", ", alt) + ")");
    }

    static List<String> altNames(X509Certificate cert, int tag) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    if (n.size() >= 2 && n.get(0) instanceof Integer t && t == tag && n.get(1) instanceof String s) {
                        out.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return out; // an unparsable extension names no one
        }
        return out;
    }
}
