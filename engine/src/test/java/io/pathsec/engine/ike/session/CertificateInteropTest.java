package io.pathsec.engine.ike.session;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.pki.CertificateIssuer;
import io.pathsec.engine.pki.IssuedCertificate;
import io.pathsec.engine.pki.KeyType;
import io.pathsec.engine.pki.PkiFiles;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.testsupport.StrongSwanPeer;
import io.pathsec.engine.tunnel.IkeTunnelService;
import io.pathsec.engine.tunnel.IkeTunnelStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Certificate authentication against strongSwan 5.9 (charon, kernel-libipsec) in the lab, both
 * ways, with certificates made by the code behind {@code pathsec pki} ({@link CertificateIssuer},
 * {@link PkiFiles}) and loaded by strongSwan from swanctl's x509/x509ca/private folders:
 * PathSec client to strongSwan gateway (ECDSA P-256, RSA 3072), strongSwan client to PathSec
 * gateway (ECDSA P-384, RSA 3072), PathSec to PathSec (RSA 3072, IKE_AUTH in fragments), each
 * with a ping through the tunnel; and the refusals: a
 * gateway certificate of a CA the client does not trust, and a client certificate of a CA the
 * gateway does not trust, after which the gateway still serves a good client.
 */
@RequiresRoot
class CertificateInteropTest {
    private static final String E2 = "203.0.113.2";
    private static final String GATEWAY_ID = "vpn.example.net";
    private static final String CLIENT_ID = "alice@example.org";
    private static final Duration SETTLE = Duration.ofSeconds(40);
    private static final Duration YEAR = Duration.ofDays(365);

    private static LabTopology lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void topology() throws IOException {
        lab = LabTopology.create(LabOptions.defaults());
    }

    @AfterAll
    static void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    /** A CA, the gateway's and alice's certificates as PEM files, as {@code pathsec pki ca|gateway|client} write them. */
    private record Pki(PkiFiles.Pair ca, PkiFiles.Pair gateway, PkiFiles.Pair client) {
        static Pki make(Path dir, KeyType type, String caName) throws IOException {
            CertificateIssuer issuer = new CertificateIssuer();
            IssuedCertificate ca = issuer.certificateAuthority(caName, type, YEAR);
            Pki p = new Pki(PkiFiles.Pair.in(dir, "ca"), PkiFiles.Pair.in(dir, "gateway"), PkiFiles.Pair.in(dir, "alice"));
            PkiFiles.write(p.ca, ca);
            PkiFiles.write(p.gateway, issuer.gateway(ca, GATEWAY_ID,
                    List.of(lab.outerAddress(LabNode.G2, false)), type, YEAR));
            PkiFiles.write(p.client, issuer.client(ca, CLIENT_ID, type, YEAR));
            return p;
        }

        StrongSwanPeer.Certificates gatewaySide() {
            return new StrongSwanPeer.Certificates(gateway.certificate(), gateway.key(), ca.certificate(), GATEWAY_ID,
                    "%any");
        }

        StrongSwanPeer.Certificates clientSide() {
            return new StrongSwanPeer.Certificates(client.certificate(), client.key(), ca.certificate(), CLIENT_ID,
                    GATEWAY_ID);
        }
    }

    private static String g2() {
        return lab.outerAddress(LabNode.G2, false).getHostAddress();
    }

    private static Map<String, Object> clientProfile(PkiFiles.Pair own, Path ca) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", "cert");
        p.put("local", lab.outerAddress(LabNode.G1, false).getHostAddress());
        p.put("gateway", g2());
        p.put("auth", "certificate");
        p.put("cert", own.certificate().toString());
        p.put("key", own.key().toString());
        p.put("ca", ca.toString());
        p.put("localId", CLIENT_ID);
        p.put("remoteId", GATEWAY_ID);
        return p;
    }

    private static Map<String, Object> gatewayProfile(Pki pki) {
        Map<String, Object> p = PathSecGatewayLabTest.gatewayProfile(lab, 32);
        p.remove("psk");
        p.put("localId", GATEWAY_ID);
        p.put("auth", "certificate");
        p.put("cert", pki.gateway.certificate().toString());
        p.put("key", pki.gateway.key().toString());
        p.put("ca", pki.ca.certificate().toString());
        return p;
    }

    private static StrongSwanPeer.Client swClient() {
        return StrongSwanPeer.Client.defaults(g2(), GATEWAY_ID, "unused-with-certificates",
                lab.protectedNetwork(LabNode.E2, false));
    }

    private void pathSecClientToStrongSwanGateway(KeyType type, String strongSwanSaw) throws Exception {
        Pki pki = Pki.make(dir.resolve("pki"), type, "PathSec Interop CA");
        try (StrongSwanPeer sw = StrongSwanPeer.startGateway(lab.namespace(LabNode.G2), dir.resolve("sw"),
                StrongSwanPeer.Gateway.defaults(g2()), pki.gatewaySide());
             IkeLabProcess<IkeTunnelStatus> client = IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class,
                     clientProfile(pki.client, pki.ca.certificate()), dir, "client", IkeTunnelStatus.class)) {
            IkeTunnelStatus s = client.await(LabClients::settled, SETTLE);
            assertEquals("ESTABLISHED", s == null ? null : s.state, () -> client.statusText() + client.logTail()
                    + sw.log());
            assertEquals(GATEWAY_ID, s.peerIdentity);
            ping(client.logTail() + sw.log());
            String log = sw.log();
            // strongSwan checked our RFC 7427 signature and our certificate's chain to its CA.
            assertTrue(log.contains("authentication of '" + CLIENT_ID + "' with " + strongSwanSaw + " successful"), log);
            assertTrue(log.contains("reached self-signed root ca with a path length of 0"), log);
            System.out.println("strongSwan gateway (" + type.cliName() + "):\n" + log);
        }
    }

    @Test
    void pathSecClientAndStrongSwanGatewayWithEcdsaP256() throws Exception {
        pathSecClientToStrongSwanGateway(KeyType.ECDSA_P256, "ECDSA_WITH_SHA256_DER");
    }

    @Test
    void pathSecClientAndStrongSwanGatewayWithRsa3072() throws Exception {
        pathSecClientToStrongSwanGateway(KeyType.RSA_3072, "RSA_EMSA_PKCS1_SHA2_256");
    }

    private void strongSwanClientToPathSecGateway(KeyType type) throws Exception {
        Pki pki = Pki.make(dir.resolve("pki"), type, "PathSec Interop CA");
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab, LabNode.G2, IkeGatewayService.class,
                gatewayProfile(pki), dir, "gateway", IkeGatewayStatus.class);
             StrongSwanPeer sw = StrongSwanPeer.startClient(lab.namespace(LabNode.G1), dir.resolve("sw"), swClient(),
                     pki.clientSide())) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), SETTLE), gw::logTail);
            initiate(sw, gw);
            IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1, Duration.ofSeconds(5));
            assertEquals(1, g.clients.size(), gw::statusText);
            assertEquals(CLIENT_ID, g.clients.get(0).identity);
            String log = sw.log();
            assertTrue(log.contains("authentication of '" + GATEWAY_ID + "' with"), log);
            assertTrue(log.contains("reached self-signed root ca with a path length of 0"), log);
            ping(gw.logTail() + log);
            assertTrue(gw.log().contains("the client's AUTH"), gw::logTail);
            System.out.println("strongSwan client (" + type.cliName() + "):\n" + log);
        }
    }

    @Test
    void strongSwanClientAndPathSecGatewayWithEcdsaP384() throws Exception {
        strongSwanClientToPathSecGateway(KeyType.ECDSA_P384);
    }

    @Test
    void strongSwanClientAndPathSecGatewayWithRsa3072() throws Exception {
        strongSwanClientToPathSecGateway(KeyType.RSA_3072);
    }

    @Test
    void pathSecClientAndPathSecGatewayWithRsa3072() throws Exception {
        Pki pki = Pki.make(dir.resolve("pki"), KeyType.RSA_3072, "PathSec Interop CA");
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab, LabNode.G2, IkeGatewayService.class,
                gatewayProfile(pki), dir, "gateway", IkeGatewayStatus.class)) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), SETTLE), gw::logTail);
            try (IkeLabProcess<IkeTunnelStatus> client = IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class,
                    clientProfile(pki.client, pki.ca.certificate()), dir, "client", IkeTunnelStatus.class)) {
                IkeTunnelStatus s = client.await(LabClients::settled, SETTLE);
                assertEquals("ESTABLISHED", s == null ? null : s.state, () -> client.statusText() + client.logTail()
                        + gw.logTail());
                assertEquals(GATEWAY_ID, s.peerIdentity);
                assertTrue(s.speaksPathSec, "PathSec on both ends");
                IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1, Duration.ofSeconds(5));
                assertEquals(CLIENT_ID, g.clients.get(0).identity, gw::statusText);
                ping(client.logTail() + gw.logTail());
                assertTrue(client.log().contains("the gateway's AUTH") && gw.log().contains("the client's AUTH"),
                        () -> client.logTail() + gw.logTail());
            }
        }
    }

    @Test
    void gatewayCertificateOfAnUntrustedCaFailsTheClientWithCertificateNotTrusted() throws Exception {
        Pki real = Pki.make(dir.resolve("pki"), KeyType.ECDSA_P256, "PathSec Interop CA");
        Pki other = Pki.make(dir.resolve("other"), KeyType.ECDSA_P256, "Another CA");
        // strongSwan shows a gateway certificate of "Another CA" and trusts both CAs for clients.
        StrongSwanPeer.Certificates gwCerts = new StrongSwanPeer.Certificates(other.gateway.certificate(),
                other.gateway.key(), real.ca.certificate(), GATEWAY_ID, "%any");
        try (StrongSwanPeer sw = StrongSwanPeer.startGateway(lab.namespace(LabNode.G2), dir.resolve("sw"),
                StrongSwanPeer.Gateway.defaults(g2()), gwCerts);
             IkeLabProcess<IkeTunnelStatus> client = IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class,
                     clientProfile(real.client, real.ca.certificate()), dir, "client", IkeTunnelStatus.class)) {
            IkeTunnelStatus s = client.await(LabClients::settled, SETTLE);
            assertEquals("FAILED", s == null ? null : s.state, client::statusText);
            assertEquals("CERTIFICATE_NOT_TRUSTED", s.reason);
            assertTrue(s.error.startsWith("certificate not trusted: the gateway's certificate \"CN=" + GATEWAY_ID
                    + "\""), s.error);
            assertTrue(s.error.contains("Another CA"), s.error);
            System.out.println("PathSec client refused: " + s.error);
        }
    }

    @Test
    void clientCertificateOfAnUntrustedCaIsRefusedAndTheGatewayKeepsServing() throws Exception {
        Pki real = Pki.make(dir.resolve("pki"), KeyType.ECDSA_P256, "PathSec Interop CA");
        Pki other = Pki.make(dir.resolve("other"), KeyType.ECDSA_P256, "Another CA");
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab, LabNode.G2, IkeGatewayService.class,
                gatewayProfile(real), dir, "gateway", IkeGatewayStatus.class)) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), SETTLE), gw::logTail);
            StrongSwanPeer.Certificates impostor = new StrongSwanPeer.Certificates(other.client.certificate(),
                    other.client.key(), real.ca.certificate(), CLIENT_ID, GATEWAY_ID);
            try (StrongSwanPeer sw = StrongSwanPeer.startClient(lab.namespace(LabNode.G1), dir.resolve("sw-bad"),
                    swClient(), impostor)) {
                IOException refused = assertThrows(IOException.class, sw::initiate);
                assertTrue(sw.log().contains("received AUTHENTICATION_FAILED notify error"), sw.log());
                System.out.println("strongSwan with a foreign certificate: " + refused.getMessage());
            }
            IkeGatewayStatus failed = gw.await(x -> !x.recentFailures.isEmpty(), Duration.ofSeconds(5));
            assertTrue(failed.recentFailures.get(0).startsWith(
                    "CERTIFICATE_NOT_TRUSTED: certificate not trusted: the client's certificate \"CN=" + CLIENT_ID),
                    gw::statusText);
            assertTrue(failed.recentFailures.get(0).contains("Another CA"), gw::statusText);
            assertTrue(failed.clients.isEmpty() && gw.alive(), gw::statusText);

            try (StrongSwanPeer sw = StrongSwanPeer.startClient(lab.namespace(LabNode.G1), dir.resolve("sw-good"),
                    swClient(), real.clientSide())) {
                initiate(sw, gw);
                IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1, Duration.ofSeconds(5));
                assertEquals(1, g.clients.size(), gw::statusText);
                ping(gw.logTail() + sw.log());
            }
        }
    }

    private static void ping(String context) throws Exception {
        ProcessResult ping = lab.exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3",
                "-W", "2", E2);
        assertTrue(ping.succeeded(), () -> "ping G1 -> E2 through the tunnel: " + ping.stdout() + context);
    }

    private static void initiate(StrongSwanPeer sw, IkeLabProcess<IkeGatewayStatus> gw) {
        try {
            sw.initiate();
        } catch (IOException e) {
            throw new AssertionError("strongSwan could not connect: " + e.getMessage() + "\n" + sw.log() + "\n"
                    + gw.logTail(), e);
        }
    }
}
