package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.auth.Authenticator;
import io.pathsec.engine.ike.auth.CertificateAuthenticator;
import io.pathsec.engine.ike.auth.TestCredentials;
import io.pathsec.engine.ike.auth.TrustStore;
import io.pathsec.engine.ike.message.CertEncoding;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeCertReqPayload;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.NotifyType;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.pki.IssuedCertificate;
import io.pathsec.engine.pki.KeyType;
import io.pathsec.engine.policy.AddressRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PathSec initiator and responder with certificate authentication, in memory on a manual clock:
 * RFC 7427 signatures with CERT/CERTREQ, and the three failures a user must be able to tell
 * apart (untrusted CA, identity not in the certificate, wrong signature) on the side that sees them.
 */
class IkeCertificateSessionTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(AddressRange.parseAddress("198.51.100.1"), 500);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 500);
    private static final TrafficSelector LAN = TrafficSelector.range(AddressRange.parseAddress("203.0.113.0"),
            AddressRange.parseAddress("203.0.113.255"));

    private ManualIkeScheduler clock;
    private LoopbackNetwork net;
    private IkeSessionStateMachineTest.Recorder clientEvents;
    private IkeSessionStateMachineTest.Recorder gatewayEvents;

    @BeforeEach
    void setUp() {
        clock = new ManualIkeScheduler();
        net = new LoopbackNetwork(CLIENT, GATEWAY);
        clientEvents = new IkeSessionStateMachineTest.Recorder();
        gatewayEvents = new IkeSessionStateMachineTest.Recorder();
    }

    private IkeInitiator initiator(Authenticator auth, String localId, String remoteId) {
        IkeInitiatorConfig config = new IkeInitiatorConfig(CLIENT, GATEWAY, new IkeIdentity(localId),
                remoteId == null ? null : new IkeIdentity(remoteId), auth, List.of(IkeSuite.DEFAULT),
                List.of(EspTransform.AES_GCM_16_256), true, List.of(), IkeSessionTimers.DEFAULT,
                ChildSaModeRequest.TUNNEL);
        IkeInitiator i = new IkeInitiator(config, clock, net.transport(true), new SecureRandom(), clientEvents);
        net.initiator = i::receive;
        return i;
    }

    private IkeResponder responder(Authenticator auth) {
        IkeResponderConfig config = new IkeResponderConfig(GATEWAY, new IkeIdentity(TestCredentials.GATEWAY), auth,
                List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256), List.of(LAN),
                new AddressPool(AddressRange.parse("10.200.0.0/24")), IkeSessionTimers.DEFAULT, false, List.of());
        IkeResponder r = new IkeResponder(config, clock, net.transport(false), new SecureRandom(), gatewayEvents);
        net.responder = r::receive;
        return r;
    }

    private IkeInitiator run(Authenticator client, String clientId, Authenticator gateway) {
        IkeInitiator i = initiator(client, clientId, TestCredentials.GATEWAY);
        responder(gateway);
        i.start();
        net.pump(clock);
        return i;
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void establishesWithCertificatesOnBothSides(KeyType type) throws Exception {
        TestCredentials t = TestCredentials.of(type);
        IkeInitiator client = run(t.authenticator(t.client), TestCredentials.CLIENT, t.authenticator(t.gateway));
        assertInstanceOf(IkeInitiator.Established.class, client.state(), () -> "closed: " + clientEvents.closed
                + " / " + gatewayEvents.closed);
        assertEquals(TestCredentials.GATEWAY, clientEvents.established.get(0).peerIdentity());
        assertEquals(TestCredentials.CLIENT, gatewayEvents.established.get(0).peerIdentity());
        assertTrue(clientEvents.established.get(0).virtualAddress() != null, "CP worked as with a PSK");

        // IKE_SA_INIT in clear: both announce RFC 7427 hashes, the gateway asks for our CA (§1.2, §3.7).
        IkeMessage request = IkeMessage.decode(net.sent.get(0).message());
        IkeMessage answer = IkeMessage.decode(net.sent.get(1).message());
        assertEquals(ExchangeType.IKE_SA_INIT, answer.header().exchangeType());
        for (IkeMessage m : List.of(request, answer)) {
            assertTrue(m.all(IkeNotifyPayload.class).stream()
                    .anyMatch(n -> n.notifyType() == NotifyType.SIGNATURE_HASH_ALGORITHMS.value()), m.toString());
        }
        IkeCertReqPayload certreq = answer.first(IkeCertReqPayload.class).orElseThrow();
        assertEquals(CertEncoding.X509_SIGNATURE.value(), certreq.encoding());
        assertEquals(1, certreq.caKeyHashes().size());
    }

    @Test
    void aDistinguishedNameIdentityWorksWithTheCertificateSubject() {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        IkeIdentity dn = new IkeIdentity("CN=alice@example.org").forCertificate(t.client.certificate());
        IkeInitiator client = run(t.authenticator(t.client), dn.text(), t.authenticator(t.gateway));
        assertInstanceOf(IkeInitiator.Established.class, client.state(), () -> "closed: " + clientEvents.closed
                + " / " + gatewayEvents.closed);
        assertEquals("\"CN=alice@example.org\"", gatewayEvents.established.get(0).peerIdentity());
    }

    @Test
    void aClientOfAnotherCaIsRefusedAsNotTrustedAndHearsAuthenticationFailed() {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        CertificateAuthenticator impostor = new CertificateAuthenticator(TestCredentials.credential(t.impostor),
                t.trustStore());
        IkeInitiator client = run(impostor, TestCredentials.CLIENT, t.authenticator(t.gateway));
        IkeInitiator.Closed closed = assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.AUTHENTICATION_FAILED, closed.cause().reason());
        assertTrue(closed.cause().getMessage().startsWith("authentication failed: the gateway rejected our certificate"),
                closed.cause().getMessage());
        assertEquals(IkeSessionException.Reason.CERTIFICATE_NOT_TRUSTED, gatewayEvents.closed.get(0).reason());
        assertTrue(gatewayEvents.closed.get(0).getMessage().startsWith("certificate not trusted: the client's"),
                gatewayEvents.closed.get(0).getMessage());
    }

    @Test
    void aGatewayOfAnotherCaIsNotTrustedByTheClient() {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P384);
        CertificateAuthenticator trustsOtherCa = new CertificateAuthenticator(TestCredentials.credential(t.client),
                TrustStore.of(List.of(t.otherCa.certificate())));
        // The gateway trusts both CAs, so it accepts the client and the failure is the client's verdict.
        CertificateAuthenticator gateway = new CertificateAuthenticator(TestCredentials.credential(t.gateway),
                TrustStore.of(List.of(t.ca.certificate(), t.otherCa.certificate())));
        IkeInitiator client = run(trustsOtherCa, TestCredentials.CLIENT, gateway);
        IkeInitiator.Closed closed = assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.CERTIFICATE_NOT_TRUSTED, closed.cause().reason());
        assertTrue(closed.cause().getMessage().startsWith(
                "certificate not trusted: the gateway's certificate \"CN=vpn.example.net\""), closed.cause().getMessage());
    }

    @Test
    void anIdentityTheCertificateDoesNotNameIsRefusedByTheGateway() {
        TestCredentials t = TestCredentials.of(KeyType.RSA_3072);
        IkeInitiator client = run(t.authenticator(t.client), "bob@example.org", t.authenticator(t.gateway));
        assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.IDENTITY_MISMATCH, gatewayEvents.closed.get(0).reason());
        assertTrue(gatewayEvents.closed.get(0).getMessage().contains("identified as bob@example.org"),
                gatewayEvents.closed.get(0).getMessage());
    }

    @Test
    void aPskClientMeetingACertificateGatewayFailsClearly() {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        IkeInitiator client = run(new io.pathsec.engine.ike.auth.PskAuthenticator("some-psk-0123456789".getBytes()),
                TestCredentials.CLIENT, t.authenticator(t.gateway));
        assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.CERTIFICATE_NOT_TRUSTED, gatewayEvents.closed.get(0).reason());
        assertTrue(gatewayEvents.closed.get(0).getMessage().contains("sent no X.509 certificate"),
                gatewayEvents.closed.get(0).getMessage());
    }

    @Test
    void aCertificateWhoseKeyIsNotTheSignersIsASignatureFailure() throws Exception {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        // alice's certificate with the gateway's key: the chain and identity are fine, AUTH is not.
        IssuedCertificate stolen = new IssuedCertificate(t.client.certificate(), t.gateway.key());
        Authenticator liar = new StolenCertificate(t.authenticator(t.gateway), stolen);
        IkeInitiator client = run(liar, TestCredentials.CLIENT, t.authenticator(t.gateway));
        assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.SIGNATURE_INVALID, gatewayEvents.closed.get(0).reason());
    }

    /** Signs with one key and sends someone else's certificate: a lying peer. */
    private record StolenCertificate(Authenticator signer, IssuedCertificate shown) implements Authenticator {
        @Override
        public List<io.pathsec.engine.ike.message.IkePayload> initPayloads() {
            return signer.initPayloads();
        }

        @Override
        public List<io.pathsec.engine.ike.message.IkePayload> certificateRequests() {
            return signer.certificateRequests();
        }

        @Override
        public Proof prove(io.pathsec.engine.ike.crypto.Prf prf, byte[] octets, io.pathsec.engine.ike.auth.PeerAuthHints peer) {
            try {
                return new Proof(List.of(io.pathsec.engine.ike.message.IkeCertPayload.x509(shown.certificate().getEncoded())),
                        signer.prove(prf, octets, peer).auth());
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public String verify(io.pathsec.engine.ike.crypto.Prf prf, byte[] octets, IkeMessage m,
                             io.pathsec.engine.ike.message.IkeIdPayload id, String role)
                throws io.pathsec.engine.ike.auth.AuthenticationFailure {
            return signer.verify(prf, octets, m, id, role);
        }

        @Override
        public String rejectedByPeer(String role) {
            return "rejected";
        }
    }
}
