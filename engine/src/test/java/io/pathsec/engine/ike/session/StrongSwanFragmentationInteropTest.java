package io.pathsec.engine.ike.session;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.testsupport.LabResource;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.testsupport.StrongSwanPeer;
import io.pathsec.engine.tunnel.IkeTunnelStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IKE fragmentation (RFC 7383) against strongSwan 5.9 ({@code fragmentation = yes}) over a path
 * that cannot carry a large IKE_AUTH whole: R1—R2 has MTU 1280, drops IP fragments and swallows
 * ICMP Fragmentation Needed. Eighty protected networks make IKE_AUTH requests and answers about
 * 1.5 kB. Both directions: PathSec client to strongSwan gateway, strongSwan client to PathSec
 * gateway; and, as the control, the same PathSec client without fragmentation cannot connect.
 */
@RequiresRoot
class StrongSwanFragmentationInteropTest {
    private static final String E2 = "203.0.113.2";
    private static final int NETWORKS = 80;
    /** strongSwan: "splitting IKE message (1573 bytes) into 2 fragments". */
    private static final Pattern SPLIT = Pattern.compile("splitting IKE message \\((\\d+) bytes\\) into (\\d+) fragments");
    /** strongSwan: "received fragment #2 of 4, reassembled fragmented IKE message (1589 bytes)". */
    private static final Pattern REASSEMBLED = Pattern.compile(
            "received fragment #\\d+ of (\\d+), reassembled fragmented IKE message \\((\\d+) bytes\\)");

    @RegisterExtension
    static final LabResource LAB = new LabResource(
            LabOptions.defaults().withPathMtu(1280).withDropFragments(true).withIcmpBlackHole(true),
            StrongSwanFragmentationInteropTest::prepare);

    @TempDir
    Path dir;

    private static LabTopology lab() {
        return LAB.topology();
    }

    private static void prepare(LabTopology lab) throws IOException {
        // strongSwan's kernel-libipsec routes a policy only from a local address inside its
        // local selector: G2 gets one in each of the extra networks.
        StringBuilder batch = new StringBuilder();
        for (String net : manyNetworks().subList(1, NETWORKS + 1)) {
            batch.append("ip addr add ").append(net.replace(".0.0/16", ".0.1/16")).append(" dev ")
                    .append(lab.interfaceName(LabNode.G2, LabNode.E2)).append('\n');
        }
        ProcessResult added = lab.exec(LabNode.G2, "sh", "-c", batch.toString());
        assertTrue(added.succeeded(), added::describe);
    }

    /** E2's network and eighty /16s from 10.100.0.0 on, as strongSwan and PathSec write them. */
    static List<String> manyNetworks() {
        List<String> nets = new ArrayList<>(List.of(lab().protectedNetwork(LabNode.E2, false)));
        for (int i = 0; i < NETWORKS; i++) {
            nets.add("10." + (100 + i) + ".0.0/16");
        }
        return nets;
    }

    private static String g2() {
        return lab().outerAddress(LabNode.G2, false).getHostAddress();
    }

    @Test
    void pathSecClientConnectsToStrongSwanWithFragmentedIkeAuth() throws Exception {
        StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(g2()).withLocalTs(String.join(",", manyNetworks()));
        Map<String, Object> profile = LabClients.profile(lab(), g2(), gw.psk(), "client.pathsec.test", "gw.sw.test");
        profile.put("remoteTs", manyNetworks());
        try (StrongSwanPeer peer = StrongSwanPeer.startGateway(lab().namespace(LabNode.G2), dir.resolve("sw"), gw);
             IkeLabProcess<IkeTunnelStatus> client = LabClients.start(lab(), dir, profile, "client")) {
            IkeTunnelStatus s = LabClients.awaitSettled(client);
            assertEquals("ESTABLISHED", LabClients.state(s), () -> client.statusText() + client.logTail() + peer.log());
            String log = peer.log();
            assertFragmentedBothWays(log);
            ping(client.logTail() + log);
        }
    }

    /** Retransmissions at 0, 1 and 3 s (RFC 7296 §2.1); a fragment arrives in well under a second. */
    private static final Duration THREE_TRIES = Duration.ofSeconds(5);

    @Test
    void withoutFragmentationTheSamePathBlocksIkeAuth() throws Exception {
        StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(g2()).withLocalTs(String.join(",", manyNetworks()));
        Map<String, Object> profile = LabClients.profile(lab(), g2(), gw.psk(), "client.pathsec.test", "gw.sw.test");
        profile.put("remoteTs", manyNetworks());
        profile.put("ikeFragmentation", false);
        try (StrongSwanPeer peer = StrongSwanPeer.startGateway(lab().namespace(LabNode.G2), dir.resolve("sw"), gw);
             IkeLabProcess<IkeTunnelStatus> client = LabClients.start(lab(), dir, profile, "client")) {
            // IKE_SA_INIT gets through; then three sends of the 1.6 kB IKE_AUTH must all be lost.
            assertNotNull(client.await(x -> client.log().contains("IKE_AUTH as"), LabClients.SETTLE), client::logTail);
            IkeTunnelStatus s = client.await(LabClients::settled, THREE_TRIES);
            assertEquals("CONNECTING", LabClients.state(s), () -> client.statusText() + client.logTail() + peer.log());
            String log = peer.log();
            assertTrue(log.contains("parsed IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) V ]"), log);
            assertTrue(!log.contains("IKE_AUTH"), "no IKE_AUTH crossed the path:\n" + log);
        }
    }

    @Test
    void strongSwanClientConnectsToPathSecWithFragmentedIkeAuth() throws Exception {
        Map<String, Object> gwProfile = PathSecGatewayLabTest.gatewayProfile(lab(), 32);
        gwProfile.put("protectedSubnets", manyNetworks());
        StrongSwanPeer.Client c = StrongSwanPeer.Client.defaults(g2(), "gw.pathsec.test", PathSecGatewayLabTest.PSK,
                String.join(",", manyNetworks()));
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab(), LabNode.G2, IkeGatewayService.class,
                gwProfile, dir, "gateway", IkeGatewayStatus.class);
             StrongSwanPeer sw = StrongSwanPeer.startClient(lab().namespace(LabNode.G1), dir.resolve("sw"), c)) {
            assertNotNull(gw.await(x -> "LISTENING".equals(x.state), LabClients.SETTLE), gw::logTail);
            try {
                sw.initiate();
            } catch (IOException e) {
                throw new AssertionError("strongSwan could not connect: " + e.getMessage() + "\n" + sw.log() + gw.logTail(), e);
            }
            IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1, Duration.ofSeconds(5));
            assertEquals(1, g.clients.size(), gw::statusText);
            String log = sw.log();
            assertFragmentedBothWays(log);
            ping(gw.logTail() + log);
        }
    }

    /** strongSwan split its own IKE_AUTH message and reassembled PathSec's. */
    private static void assertFragmentedBothWays(String charonLog) {
        Matcher split = SPLIT.matcher(charonLog);
        assertTrue(split.find(), () -> "strongSwan sent its IKE_AUTH whole:\n" + charonLog);
        assertTrue(Integer.parseInt(split.group(1)) > 1280, "a message larger than the path MTU was split");
        Matcher joined = REASSEMBLED.matcher(charonLog);
        assertTrue(joined.find(), () -> "strongSwan reassembled nothing from PathSec:\n" + charonLog);
        assertTrue(Integer.parseInt(joined.group(1)) >= 3, "PathSec's IPv4 fragments are 576-octet datagrams");
        System.out.println("strongSwan: " + split.group() + "; " + joined.group());
    }

    private static void ping(String context) throws IOException {
        ProcessResult ping = lab().exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3", "-W", "2",
                E2);
        assertTrue(ping.succeeded(), () -> "ping G1 -> E2 through the tunnel: " + ping.stdout() + context);
    }
}
