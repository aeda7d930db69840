package io.pathsec.engine.ike.auth;

import io.pathsec.engine.ike.crypto.Prf;
import io.pathsec.engine.ike.message.AuthMethod;
import io.pathsec.engine.ike.message.CertEncoding;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.HashAlgorithm;
import io.pathsec.engine.ike.message.IkeAuthPayload;
import io.pathsec.engine.ike.message.IkeCertPayload;
import io.pathsec.engine.ike.message.IkeCertReqPayload;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeIdPayload;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.PrfAlgorithm;
import io.pathsec.engine.pki.IssuedCertificate;
import io.pathsec.engine.pki.KeyType;
import io.pathsec.engine.policy.AddressRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One side proves, the other verifies, as in IKE_AUTH: CERT and AUTH payloads built by the
 * prover are put in a message and checked against the ID payload the prover sent.
 */
class CertificateAuthenticatorTest {
    private static final Prf PRF = Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_256);
    private static final byte[] OCTETS = "InitiatorSignedOctets".getBytes(StandardCharsets.US_ASCII);
    private static final PeerAuthHints SHA2 = new PeerAuthHints(Set.of(HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384,
            HashAlgorithm.SHA2_512), List.of(), true);

    private static IkeMessage message(Authenticator.Proof proof) {
        List<IkePayload> payloads = new ArrayList<>(proof.certificates());
        payloads.add(proof.auth());
        return new IkeMessage(new IkeHeader(1, 2, 1, ExchangeType.IKE_AUTH, true, false, false, 0, 0), payloads);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void clientProofVerifiesAtTheGatewayWithEveryKeyType(KeyType type) throws Exception {
        TestCredentials t = TestCredentials.of(type);
        Authenticator.Proof proof = t.authenticator(t.client).prove(PRF, OCTETS, SHA2);
        assertEquals(AuthMethod.DIGITAL_SIGNATURE.value(), proof.auth().authMethod());
        assertEquals(1, proof.certificates().size());
        assertEquals(CertEncoding.X509_SIGNATURE.value(), proof.certificates().get(0).encoding());
        assertArrayEquals(t.client.certificate().getEncoded(), proof.certificates().get(0).certificateData());

        String peer = t.authenticator(t.gateway).verify(PRF, OCTETS, message(proof),
                IkeIdPayload.ofRfc822(true, TestCredentials.CLIENT), "client");
        assertTrue(peer.contains("alice@example.org"), peer);
    }

    @Test
    void gatewayIsNamedByItsFqdnItsAddressAndItsSubjectDn() throws Exception {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        Authenticator.Proof proof = t.authenticator(t.gateway).prove(PRF, OCTETS, SHA2);
        CertificateAuthenticator client = t.authenticator(t.client);
        for (IkeIdPayload id : List.of(IkeIdPayload.ofFqdn(false, "VPN.example.net"),
                IkeIdPayload.ofAddress(false, AddressRange.parseAddress(TestCredentials.GATEWAY_IP)),
                IkeIdPayload.ofDerDn(false, new javax.security.auth.x500.X500Principal("CN=vpn.example.net").getEncoded()))) {
            client.verify(PRF, OCTETS, message(proof), id, "gateway");
        }
    }

    @Test
    void certificateOfAnUntrustedCaIsRefused() {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        Authenticator.Proof proof = new CertificateAuthenticator(TestCredentials.credential(t.impostor),
                TrustStore.of(List.of(t.otherCa.certificate()))).prove(PRF, OCTETS, SHA2);
        AuthenticationFailure f = assertThrows(AuthenticationFailure.class, () -> t.authenticator(t.gateway)
                .verify(PRF, OCTETS, message(proof), IkeIdPayload.ofRfc822(true, TestCredentials.CLIENT), "client"));
        assertEquals(AuthenticationFailure.Kind.CERTIFICATE_NOT_TRUSTED, f.kind());
        assertTrue(f.getMessage().startsWith("certificate not trusted: the client's certificate \"CN=alice@example.org\""),
                f.getMessage());
        assertTrue(f.getMessage().contains("Somebody Else's CA") && f.getMessage().contains("does not chain"),
                f.getMessage());
    }

    @Test
    void identityTheCertificateDoesNotNameIsRefused() {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P384);
        Authenticator.Proof proof = t.authenticator(t.client).prove(PRF, OCTETS, SHA2);
        AuthenticationFailure f = assertThrows(AuthenticationFailure.class, () -> t.authenticator(t.gateway)
                .verify(PRF, OCTETS, message(proof), IkeIdPayload.ofRfc822(true, "bob@example.org"), "client"));
        assertEquals(AuthenticationFailure.Kind.IDENTITY_MISMATCH, f.kind());
        assertEquals("identity does not match certificate: the client identified as bob@example.org, but its"
                + " certificate names \"CN=alice@example.org\" (alt names alice@example.org)", f.getMessage());
    }

    @Test
    void signatureOverOtherOctetsIsRefused() {
        TestCredentials t = TestCredentials.of(KeyType.RSA_3072);
        Authenticator.Proof proof = t.authenticator(t.client).prove(PRF, "other octets".getBytes(), SHA2);
        AuthenticationFailure f = assertThrows(AuthenticationFailure.class, () -> t.authenticator(t.gateway)
                .verify(PRF, OCTETS, message(proof), IkeIdPayload.ofRfc822(true, TestCredentials.CLIENT), "client"));
        assertEquals(AuthenticationFailure.Kind.SIGNATURE_INVALID, f.kind());
    }

    @Test
    void expiredOrMissingCertificateIsNotTrusted() {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        Authenticator.Proof proof = t.authenticator(t.client).prove(PRF, OCTETS, SHA2);
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(400)), ZoneOffset.UTC);
        CertificateAuthenticator gatewayNextYear = new CertificateAuthenticator(TestCredentials.credential(t.gateway),
                t.trustStore(), later);
        AuthenticationFailure expired = assertThrows(AuthenticationFailure.class, () -> gatewayNextYear.verify(PRF,
                OCTETS, message(proof), IkeIdPayload.ofRfc822(true, TestCredentials.CLIENT), "client"));
        assertEquals(AuthenticationFailure.Kind.CERTIFICATE_NOT_TRUSTED, expired.kind());
        assertTrue(expired.getMessage().contains("expired on"), expired.getMessage());

        IkeMessage noCert = message(new Authenticator.Proof(List.of(), proof.auth()));
        AuthenticationFailure none = assertThrows(AuthenticationFailure.class, () -> t.authenticator(t.gateway)
                .verify(PRF, OCTETS, noCert, IkeIdPayload.ofRfc822(true, TestCredentials.CLIENT), "client"));
        assertTrue(none.getMessage().contains("sent no X.509 certificate"), none.getMessage());
        IkeMessage garbage = message(new Authenticator.Proof(List.of(IkeCertPayload.x509(new byte[] {0x30, 3, 1, 2, 3})),
                proof.auth()));
        assertThrows(AuthenticationFailure.class, () -> t.authenticator(t.gateway).verify(PRF, OCTETS, garbage,
                IkeIdPayload.ofRfc822(true, TestCredentials.CLIENT), "client"));
    }

    @Test
    void certreqNamesTheCaBySha1OfItsSubjectPublicKeyInfo() throws Exception {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        List<IkePayload> reqs = t.authenticator(t.client).certificateRequests();
        assertEquals(1, reqs.size());
        IkeCertReqPayload req = (IkeCertReqPayload) reqs.get(0);
        assertEquals(CertEncoding.X509_SIGNATURE.value(), req.encoding());
        // RFC 7296 §3.7: SHA-1 of the CA's SubjectPublicKeyInfo (the whole DER element).
        assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(t.ca.certificate().getPublicKey().getEncoded()),
                req.certificationAuthority());
        IkeNotifyPayload hashes = (IkeNotifyPayload) t.authenticator(t.client).initPayloads().get(0);
        assertEquals(List.of(2, 3, 4), hashes.hashAlgorithmIds(), "SHA2-256/384/512 (RFC 7427 §4)");
    }

    @Test
    void withoutSignatureHashAlgorithmsTheClassicMethodIsUsedAndAccepted() throws Exception {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        Authenticator.Proof proof = t.authenticator(t.client).prove(PRF, OCTETS, PeerAuthHints.NONE);
        assertEquals(AuthMethod.ECDSA_SHA256_P256.value(), proof.auth().authMethod());
        t.authenticator(t.gateway).verify(PRF, OCTETS, message(proof),
                IkeIdPayload.ofRfc822(true, TestCredentials.CLIENT), "client");
    }

    @Test
    void peerHintsCollectHashesAndCertificateRequests() {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        List<IkePayload> payloads = new ArrayList<>(t.authenticator(t.gateway).initPayloads());
        payloads.addAll(t.authenticator(t.gateway).certificateRequests());
        payloads.add(IkeNotifyPayload.signatureHashAlgorithms(List.of(HashAlgorithm.SHA1)));
        PeerAuthHints hints = PeerAuthHints.NONE.with(new IkeMessage(new IkeHeader(1, 2, 0,
                ExchangeType.IKE_SA_INIT, false, false, true, 0, 0), payloads));
        assertEquals(Set.of(HashAlgorithm.SHA1, HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384,
                HashAlgorithm.SHA2_512), hints.signatureHashes());
        assertTrue(hints.certificateRequested());
        assertEquals(1, hints.requestedCas().size());
        assertEquals(IkeAuthPayload.class, t.authenticator(t.client).prove(PRF, OCTETS, hints).auth().getClass());
    }
}
