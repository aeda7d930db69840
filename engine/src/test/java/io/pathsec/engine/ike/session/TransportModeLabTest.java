package io.pathsec.engine.ike.session;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.testsupport.LabResource;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.tunnel.IkeTunnelService;
import io.pathsec.engine.tunnel.IkeTunnelStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host-to-host (E1 = G1, E2 = G2) between two PathSec engines: transport mode negotiated with
 * USE_TRANSPORT_MODE (RFC 7296 §1.3.1) between G1's and G2's outer addresses, policy-routed into
 * each TUN while the marked ESP socket keeps the outer packets out; a verified TCP transfer from
 * G1 to G2's outer address. A gateway that disallows transport mode makes a transport-only
 * client fail with a clear reason and a transport-or-tunnel client fall back to tunnel mode.
 */
@RequiresRoot
class TransportModeLabTest {
    private static final Duration SETTLE = Duration.ofSeconds(40);

    @RegisterExtension
    static final LabResource LAB = new LabResource(LabOptions.defaults());

    @TempDir
    Path dir;

    private static LabTopology lab() {
        return LAB.topology();
    }

    private static String g1() {
        return lab().outerAddress(LabNode.G1, false).getHostAddress();
    }

    private static String g2() {
        return lab().outerAddress(LabNode.G2, false).getHostAddress();
    }

    private static Map<String, Object> hostGateway(boolean allowTransport) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", "h2");
        p.put("listen", g2());
        p.put("localId", "g2.pathsec.test");
        p.put("psk", PathSecGatewayLabTest.PSK);
        p.put("protectedSubnets", List.of(g2() + "/32"));
        p.put("allowTransportMode", allowTransport);
        return p;
    }

    private static Map<String, Object> hostClient(String mode) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", "h1");
        p.put("local", g1());
        p.put("gateway", g2());
        p.put("localId", "g1.pathsec.test");
        p.put("remoteId", "g2.pathsec.test");
        p.put("psk", PathSecGatewayLabTest.PSK);
        p.put("mode", mode);
        return p;
    }

    @Test
    void transportModeCarriesAVerifiedTransferFromG1ToG2() throws Exception {
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab(), LabNode.G2, IkeGatewayService.class,
                hostGateway(true), dir, "g2", IkeGatewayStatus.class)) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), SETTLE), gw::logTail);
            try (IkeLabProcess<IkeTunnelStatus> client = IkeLabProcess.start(lab(), LabNode.G1, IkeTunnelService.class,
                    hostClient("transport"), dir, "g1", IkeTunnelStatus.class)) {
                IkeTunnelStatus s = client.await(LabClients::settled, SETTLE);
                assertEquals("ESTABLISHED", s == null ? null : s.state, () -> client.statusText() + client.logTail()
                        + gw.logTail());
                assertEquals("TRANSPORT", s.mode, s.childSa);
                assertNull(s.virtualIp);
                assertTrue(s.childSa.contains("[" + g1() + "] === [" + g2() + "]"), s.childSa);
                IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1, Duration.ofSeconds(5));
                assertEquals("TRANSPORT", g.clients.get(0).mode, gw::statusText);

                try (LabTransfer transfer = LabTransfer.start(lab(), LabNode.G1, LabNode.G2,
                        lab().outerAddress(LabNode.G2, false), 4L * 1024 * 1024, dir)) {
                    LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(60));
                    assertTrue(outcome.verified(), () -> "transfer digests: " + outcome + client.logTail() + gw.logTail());
                }
                // The transfer went through ESP: thousands of data segments out, the receiver's
                // acknowledgments in (fewer: G2's TUN writes runs of segments as one super-packet,
                // and its TCP acknowledges each run at once).
                IkeTunnelStatus after = client.await(x -> x.securityAssociations.stream()
                        .allMatch(sa -> packets(sa) > (sa.contains(" outbound ") ? 1000 : 50)), Duration.ofSeconds(5));
                assertTrue(after.securityAssociations.stream().allMatch(sa -> sa.contains(" transport ")
                        && packets(sa) > (sa.contains(" outbound ") ? 1000 : 50)), client::statusText);
                System.out.println("host-to-host client status:\n" + client.statusText() + "\ngateway status:\n"
                        + gw.statusText());
            }
        }
    }

    @Test
    void hostPeerKilledWithSigkillReconnectsAndTheGatewayReplacesItsStaleSa() throws Exception {
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab(), LabNode.G2, IkeGatewayService.class,
                hostGateway(true), dir, "g2", IkeGatewayStatus.class)) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), SETTLE), gw::logTail);
            String firstChild;
            try (IkeLabProcess<IkeTunnelStatus> first = IkeLabProcess.start(lab(), LabNode.G1, IkeTunnelService.class,
                    hostClient("transport"), dir, "g1-first", IkeTunnelStatus.class)) {
                IkeTunnelStatus s = first.await(LabClients::settled, SETTLE);
                assertEquals("ESTABLISHED", s == null ? null : s.state, first::statusText);
                firstChild = s.childSa;
                first.kill(); // no Delete: the gateway keeps the SA and the policy route to G1
            }
            // The gateway answers the new IKE_SA_INIT from port 500 while its route to G1 still
            // leads into its TUN: the IKE bypass rule must keep that answer out of the tunnel.
            try (IkeLabProcess<IkeTunnelStatus> second = IkeLabProcess.start(lab(), LabNode.G1, IkeTunnelService.class,
                    hostClient("transport"), dir, "g1-second", IkeTunnelStatus.class)) {
                IkeTunnelStatus s = second.await(LabClients::settled, SETTLE);
                assertEquals("ESTABLISHED", s == null ? null : s.state, () -> second.statusText() + second.logTail()
                        + gw.logTail());
                assertEquals("TRANSPORT", s.mode);
                IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1 && !x.clients.get(0).childSa
                        .startsWith(mirrored(firstChild)), Duration.ofSeconds(5));
                assertEquals(1, g.clients.size(), () -> "the stale session was replaced: " + gw.statusText());
                assertTrue(!g.clients.get(0).childSa.startsWith(mirrored(firstChild)), gw::statusText);
                try (LabTransfer transfer = LabTransfer.start(lab(), LabNode.G1, LabNode.G2,
                        lab().outerAddress(LabNode.G2, false), 1024L * 1024, dir)) {
                    LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(60));
                    assertTrue(outcome.verified(), () -> "transfer after reconnect: " + outcome + gw.statusText());
                }
                assertTrue(gw.log().contains("reconnected; deleting its previous IKE SA"), gw::logTail);
            }
        }
    }

    @Test
    void transportOnlyClientFailsWhenTheGatewayRefusesTransportMode() throws Exception {
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab(), LabNode.G2, IkeGatewayService.class,
                hostGateway(false), dir, "g2", IkeGatewayStatus.class);
             IkeLabProcess<IkeTunnelStatus> client = IkeLabProcess.start(lab(), LabNode.G1, IkeTunnelService.class,
                     hostClient("transport"), dir, "g1", IkeTunnelStatus.class)) {
            IkeTunnelStatus s = client.await(LabClients::settled, SETTLE);
            assertEquals("FAILED", s == null ? null : s.state, client::statusText);
            assertEquals("TRANSPORT_MODE_REFUSED", s.reason);
            assertEquals("the gateway refused transport mode, and this profile does not allow falling back to"
                    + " tunnel mode", s.error);
            IkeGatewayStatus g = gw.await(x -> x.clients.isEmpty() && x.ikeSas == 0, Duration.ofSeconds(10));
            assertEquals(0, g.ikeSas, () -> "the client deleted the tunnel-mode SA: " + gw.statusText());
        }
    }

    @Test
    void transportOrTunnelClientFallsBackToTunnelMode() throws Exception {
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab(), LabNode.G2, IkeGatewayService.class,
                hostGateway(false), dir, "g2", IkeGatewayStatus.class);
             IkeLabProcess<IkeTunnelStatus> client = IkeLabProcess.start(lab(), LabNode.G1, IkeTunnelService.class,
                     hostClient("transport-or-tunnel"), dir, "g1", IkeTunnelStatus.class)) {
            IkeTunnelStatus s = client.await(LabClients::settled, SETTLE);
            assertEquals("ESTABLISHED", s == null ? null : s.state, client::statusText);
            assertEquals("TUNNEL", s.mode);
            try (LabTransfer transfer = LabTransfer.start(lab(), LabNode.G1, LabNode.G2,
                    lab().outerAddress(LabNode.G2, false), 1024L * 1024, dir)) {
                assertTrue(transfer.await(Duration.ofSeconds(60)).verified());
            }
        }
    }

    @Test
    void rekeyedChildSaStaysInTransportModeAndCarriesATransfer() throws Exception {
        Map<String, Object> profile = hostClient("transport");
        profile.put("childRekeySeconds", 4); // RFC 7296 §1.3.3, rekeyed by G1 while connected
        profile.put("rekeyJitterSeconds", 1);
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab(), LabNode.G2, IkeGatewayService.class,
                hostGateway(true), dir, "g2", IkeGatewayStatus.class)) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), SETTLE), gw::logTail);
            try (IkeLabProcess<IkeTunnelStatus> client = IkeLabProcess.start(lab(), LabNode.G1, IkeTunnelService.class,
                    profile, dir, "g1", IkeTunnelStatus.class)) {
                IkeTunnelStatus s = client.await(LabClients::settled, SETTLE);
                assertEquals("ESTABLISHED", LabClients.state(s), () -> client.statusText() + client.logTail());
                String first = s.childSa;
                IkeTunnelStatus r = client.await(x -> x.childRekeys >= 1, Duration.ofSeconds(20));
                assertTrue(r.childRekeys >= 1, client::statusText);
                assertTrue(!r.childSa.equals(first) && r.childSa.contains(" transport "),
                        "the new CHILD_SA is in transport mode (RFC 7296 §1.3.1): " + r.childSa);
                assertTrue(client.log().contains("CHILD_SA rekeyed"), client::logTail);
                try (LabTransfer transfer = LabTransfer.start(lab(), LabNode.G1, LabNode.G2,
                        lab().outerAddress(LabNode.G2, false), 4L * 1024 * 1024, dir)) {
                    // The CHILD_SA is rekeyed every ~4 s and the status lists only the current SAs,
                    // so the gateway is looked at while the data flows, not after.
                    IkeGatewayStatus g = gw.await(x -> !busySas(x).isEmpty(), Duration.ofSeconds(60));
                    List<String> busy = g == null ? List.of() : busySas(g);
                    LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(60));
                    assertTrue(outcome.verified(), () -> "transfer digests: " + outcome + client.logTail() + gw.logTail());
                    assertTrue(!busy.isEmpty() && busy.stream().allMatch(sa -> sa.contains(" transport ")),
                            "the gateway carried the transfer in transport mode: " + gw.statusText());
                }
            }
        }
    }

    /** A client's CHILD_SA text as the gateway writes it: inbound and outbound SPIs swapped, selectors too. */
    private static String mirrored(String clientChild) {
        String[] w = clientChild.split(" ");
        return "CHILD_SA in " + w[4] + " out " + w[2];
    }

    /** The gateway's SAs that have carried more than a handshake's worth of packets. */
    private static List<String> busySas(IkeGatewayStatus g) {
        return g.clients.size() != 1 ? List.of()
                : g.clients.get(0).securityAssociations.stream().filter(sa -> packets(sa) > 500).toList();
    }

    private static long packets(String sa) {
        return Long.parseLong(sa.substring(sa.lastIndexOf(' ') + 1));
    }
}
