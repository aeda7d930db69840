package io.pathsec.engine.ike.auth;

import io.pathsec.engine.pki.CertificateIssuer;
import io.pathsec.engine.pki.IssuedCertificate;
import io.pathsec.engine.pki.KeyType;
import io.pathsec.engine.policy.AddressRange;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A CA with a gateway ("vpn.example.net", 192.0.2.1) and a client ("alice@example.org")
 * certificate per key type, made once by the same {@link CertificateIssuer} that {@code pathsec
 * pki} runs; and a second, unrelated CA for the "not trusted" cases.
 */
public final class TestCredentials {
    public static final String GATEWAY = "vpn.example.net";
    public static final String GATEWAY_IP = "192.0.2.1";
    public static final String CLIENT = "alice@example.org";
    private static final Duration YEAR = Duration.ofDays(365);
    private static final Map<KeyType, TestCredentials> MADE = new EnumMap<>(KeyType.class);

    public final IssuedCertificate ca;
    public final IssuedCertificate gateway;
    public final IssuedCertificate client;
    /** A CA nobody trusts, and a client certificate it issued with the same name as {@link #client}. */
    public final IssuedCertificate otherCa;
    public final IssuedCertificate impostor;

    private TestCredentials(KeyType type) {
        CertificateIssuer issuer = new CertificateIssuer();
        ca = issuer.certificateAuthority("PathSec Test CA " + type.cliName(), type, YEAR);
        gateway = issuer.gateway(ca, GATEWAY, List.of(AddressRange.parseAddress(GATEWAY_IP)), type, YEAR);
        client = issuer.client(ca, CLIENT, type, YEAR);
        otherCa = issuer.certificateAuthority("Somebody Else's CA", type, YEAR);
        impostor = issuer.client(otherCa, CLIENT, type, YEAR);
    }

    public static synchronized TestCredentials of(KeyType type) {
        return MADE.computeIfAbsent(type, TestCredentials::new);
    }

    public TrustStore trustStore() {
        return TrustStore.of(List.of(ca.certificate()));
    }

    public static LocalCredential credential(IssuedCertificate c) {
        try {
            return LocalCredential.of(List.of(c.certificate()), c.key(), "test credential");
        } catch (CredentialException e) {
            throw new AssertionError(e);
        }
    }

    public CertificateAuthenticator authenticator(IssuedCertificate own) {
        return new CertificateAuthenticator(credential(own), trustStore());
    }
}
