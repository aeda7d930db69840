package io.pathsec.engine.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ConnectStep;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.EventType;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.SaChange;
import io.pathsec.engine.control.api.SaChanged;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.control.api.SaList;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelProgress;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.engine.control.api.TunnelStateChanged;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.pki.CertificateIssuer;
import io.pathsec.engine.pki.IssuedCertificate;
import io.pathsec.engine.pki.KeyType;
import io.pathsec.engine.pki.PkiFiles;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.testsupport.StrongSwanPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The daemon end to end over IKEv2: a real {@link ControlDaemonService} process in the lab's G1
 * namespace, driven through its control socket with {@link ControlClient}, connects an
 * {@code ikev2-psk} profile to strongSwan 5.9 (charon, kernel-libipsec) acting as the gateway in
 * G2; traffic from G1 reaches E2 behind the gateway through the tunnel; disconnect removes the
 * TUN device. A wrong PSK fails with "authentication failed" in the answer, the event and status;
 * a certificate profile meeting a gateway certificate of a CA it does not trust fails with
 * "certificate not trusted", and the same daemon then connects it to the right gateway.
 */
@RequiresRoot
@Timeout(240)
class DaemonIkeStrongSwanTest {
    private static final String PROFILE = "sw";
    private static final String GATEWAY = "198.51.100.130";
    private static final String E2 = "203.0.113.2";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration YEAR = Duration.ofDays(365);

    private static LabTopology lab;

    @TempDir
    Path dir;

    private Process daemon;
    private StrongSwanPeer peer;
    private Path socket;
    private final List<ControlEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void topology() throws IOException {
        lab = LabTopology.create(LabOptions.defaults());
        assertEquals(GATEWAY, lab.outerAddress(LabNode.G2, false).getHostAddress(), "the lab's G2 outer address");
    }

    @AfterAll
    static void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void startDaemon() throws Exception {
        socket = dir.resolve("run/control.sock");
        Path log = dir.resolve("daemon.log");
        Files.createFile(log);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        daemon = lab.start(LabNode.G1, List.of(java, "-cp", System.getProperty("java.class.path"),
                ControlDaemonService.class.getName(), socket.toString(), dir.resolve("state").toString()), log);
        awaitTrue(() -> readQuietly(log).contains("ready "), Duration.ofSeconds(30),
                () -> "the daemon did not get ready: " + readQuietly(log));
    }

    @AfterEach
    void stopAll() throws Exception {
        try {
            if (daemon != null && daemon.isAlive()) {
                daemon.destroy(); // SIGTERM to the daemon's PID: it takes its tunnels down
                if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                    daemon.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (peer != null) {
                peer.close();
            }
        }
    }

    @Test
    void connectsPingsAndDisconnectsThroughStrongSwan() throws Exception {
        StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(GATEWAY);
        peer = StrongSwanPeer.startGateway(lab.namespace(LabNode.G2), dir.resolve("sw"), gw);
        long started = System.nanoTime();
        try (ControlClient watcher = ControlClient.connect(socket); ControlClient c = ControlClient.connect(socket)) {
            watcher.subscribe(List.of(EventType.TUNNEL_STATE, EventType.TUNNEL_PROGRESS, EventType.SA_CHANGED),
                    PROFILE, events::add);
            c.putProfile(Profile.of(PROFILE, ProfileKind.IKEV2_PSK, ikeProfile(gw.psk())), false);

            TunnelInfo up = c.connectTunnel(PROFILE);
            System.out.printf("connect answered after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertEquals(TunnelState.CONNECTED, up.state(), () -> "connect: " + up + "\n" + peer.log());
            String device = up.device();
            assertNotNull(device, "a connected tunnel names its TUN device");
            assertTrue(deviceExists(device), "the TUN device exists in G1");

            // Events: connecting, then the IKE steps in RFC 7296 order, the CHILD_SA, then connected.
            awaitTrue(() -> stateEvents().contains(TunnelState.CONNECTED), WAIT, () -> "events: " + events);
            List<ConnectStep> steps = distinctInOrder(events.stream().filter(e -> e instanceof TunnelProgress)
                    .map(e -> ((TunnelProgress) e).step()).toList());
            assertEquals(List.of(ConnectStep.RESOLVING, ConnectStep.IKE_SA_INIT, ConnectStep.IKE_AUTH), steps,
                    () -> "progress: " + events);
            int connecting = indexOfState(TunnelState.CONNECTING);
            int connected = indexOfState(TunnelState.CONNECTED);
            int firstProgress = indexOf(e -> e instanceof TunnelProgress);
            int lastProgress = lastIndexOf(e -> e instanceof TunnelProgress);
            int childUp = indexOf(e -> e instanceof SaChanged s && s.change() == SaChange.UP);
            assertTrue(connecting >= 0 && connecting < firstProgress && lastProgress < connected,
                    () -> "connecting < progress < connected: " + events);
            assertTrue(childUp > lastProgress && childUp < connected, () -> "the CHILD_SA came up after IKE_AUTH: " + events);
            SaChanged child = (SaChanged) events.get(childUp);
            assertTrue(((TunnelProgress) events.get(firstProgress)).detail().contains(GATEWAY),
                    () -> "resolving names the gateway: " + events.get(firstProgress));
            TunnelStateChanged connectedEvent = (TunnelStateChanged) events.get(connected);
            assertEquals(device, connectedEvent.device());

            // The SAs: an inbound and an outbound ESP SA, the same SPIs as the sa.changed event.
            SaList sas = c.securityAssociations(PROFILE);
            assertEquals(2, sas.sas().size(), () -> "sa: " + sas);
            SaInfo in = sas.sas().stream().filter(s -> s.direction().equalsIgnoreCase("inbound")).findFirst()
                    .orElseThrow(() -> new AssertionError("no inbound SA: " + sas));
            SaInfo out = sas.sas().stream().filter(s -> s.direction().equalsIgnoreCase("outbound")).findFirst()
                    .orElseThrow(() -> new AssertionError("no outbound SA: " + sas));
            assertEquals(child.inboundSpi(), in.spi());
            assertEquals(child.outboundSpi(), out.spi());
            for (SaInfo sa : sas.sas()) {
                assertTrue(sa.transform().toLowerCase().contains("aes") && sa.transform().contains("gcm"),
                        () -> "ESP transform aes256gcm16: " + sa);
                assertEquals("tunnel", sa.mode().toLowerCase(), () -> "tunnel mode: " + sa);
            }

            // The virtual IP: the control API's TunnelInfo has no field for it; the TUN device
            // carries it, and strongSwan's SA shows the same address as the remote selector.
            String vip = virtualIp(device);
            assertTrue(AddressRange.parse("10.200.0.0/24").contains(InetAddress.getByName(vip)),
                    "the virtual IP comes from strongSwan's pool: " + vip);
            String swSas = peer.swanctl("--list-sas");
            assertTrue(swSas.contains("ESTABLISHED") && swSas.contains("INSTALLED") && swSas.contains(vip), swSas);
            TunnelInfo status = c.status().tunnels().stream().filter(t -> t.profile().equals(PROFILE)).findFirst()
                    .orElseThrow();
            assertEquals(TunnelState.CONNECTED, status.state());
            assertEquals(ProfileKind.IKEV2_PSK, status.kind());
            assertEquals(device, status.device());

            // Traffic: G1 -> E2 (behind the gateway) only reaches through the tunnel.
            ProcessResult ping = lab.exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3",
                    "-W", "2", E2);
            assertTrue(ping.succeeded(), () -> "ping G1 -> E2 through the tunnel: " + ping.describe() + "\n"
                    + swSas + "\n" + peer.log());
            SaList after = c.securityAssociations(PROFILE);
            assertTrue(after.sas().stream().allMatch(s -> s.packets() >= 3), () -> "3 pings each way on the SAs: " + after);
            TunnelInfo counted = c.status().tunnels().get(0);
            assertTrue(counted.counters().sentPackets() >= 3 && counted.counters().receivedPackets() >= 3,
                    () -> "counters: " + counted);

            // Disconnect: the device goes, and the gateway hears about it (INFORMATIONAL Delete).
            TunnelInfo down = c.disconnectTunnel(PROFILE);
            assertEquals(TunnelState.DISCONNECTED, down.state());
            assertFalse(deviceExists(device), "disconnect removed " + device);
            awaitTrue(() -> stateEvents().contains(TunnelState.DISCONNECTED), WAIT, () -> "events: " + events);
            awaitTrue(() -> peer.log().contains("deleting IKE_SA rw[1]"), WAIT,
                    () -> "strongSwan saw the delete: " + peer.log());
            assertFalse(readQuietly(dir.resolve("daemon.log")).contains(gw.psk()), "no PSK in the daemon log");
            assertFalse(c.getProfile(PROFILE).config().toString().contains(gw.psk()), "the PSK is write-only");
            System.out.printf("IKE case done after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        String log = peer.log();
        assertTrue(log.contains("IKE_SA rw[1] established"), log);
        assertTrue(log.contains("CHILD_SA lan{1} established"), log);
        System.out.println("charon log (connect case):\n" + charonExcerpt(log));
    }

    @Test
    void wrongPskFailsWithAuthenticationFailedInWords() throws Exception {
        StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(GATEWAY);
        peer = StrongSwanPeer.startGateway(lab.namespace(LabNode.G2), dir.resolve("sw"), gw);
        try (ControlClient watcher = ControlClient.connect(socket); ControlClient c = ControlClient.connect(socket)) {
            watcher.subscribe(List.of(EventType.TUNNEL_STATE, EventType.TUNNEL_PROGRESS), PROFILE, events::add);
            c.putProfile(Profile.of(PROFILE, ProfileKind.IKEV2_PSK, ikeProfile("not-the-right-psk-000000000000")),
                    false);

            ControlException e = assertThrows(ControlException.class, () -> c.connectTunnel(PROFILE));
            assertEquals(ErrorCode.TUNNEL_FAILED, e.code(), e::getMessage);
            assertTrue(e.getMessage().contains("authentication failed"), e::getMessage);

            awaitTrue(() -> stateEvents().contains(TunnelState.FAILED), WAIT, () -> "events: " + events);
            TunnelStateChanged failed = (TunnelStateChanged) events.get(indexOfState(TunnelState.FAILED));
            assertTrue(failed.error() != null && failed.error().startsWith("authentication failed"),
                    () -> "failed event: " + failed);
            assertTrue(events.stream().anyMatch(ev -> ev instanceof TunnelProgress p && p.step() == ConnectStep.IKE_AUTH),
                    () -> "it got as far as IKE_AUTH: " + events);

            TunnelInfo status = c.status().tunnels().get(0);
            assertEquals(TunnelState.FAILED, status.state());
            assertTrue(status.error().startsWith("authentication failed"), status::error);
            assertEquals(null, status.device());
            ProcessResult links = lab.exec(LabNode.G1, "ip", "-o", "link", "show");
            assertFalse(links.stdout().contains("psike"), () -> "no TUN device left behind: " + links.stdout());
            System.out.println("wrong PSK answer: " + e.getMessage());
        }
        String log = peer.log();
        assertTrue(log.contains("MAC mismatched") || log.contains("AUTHENTICATION_FAILED"), log);
        System.out.println("charon log (wrong PSK case):\n" + charonExcerpt(log));
    }

    @Test
    void certificateProfileRefusesAnUntrustedGatewayInWordsThenConnectsToTheRightOne() throws Exception {
        // Certificates as `pathsec pki` makes them; the first strongSwan shows a gateway
        // certificate of another CA, the second the right one. The same daemon serves both connects.
        CertificateIssuer issuer = new CertificateIssuer();
        IssuedCertificate ca = issuer.certificateAuthority("PathSec Daemon Test CA", KeyType.ECDSA_P256, YEAR);
        IssuedCertificate otherCa = issuer.certificateAuthority("Another CA", KeyType.ECDSA_P256, YEAR);
        Path pki = dir.resolve("pki");
        PkiFiles.Pair caFiles = PkiFiles.Pair.in(pki, "ca");
        PkiFiles.Pair alice = PkiFiles.Pair.in(pki, "alice");
        PkiFiles.Pair goodGw = PkiFiles.Pair.in(pki, "gw");
        PkiFiles.Pair strangeGw = PkiFiles.Pair.in(pki, "strange-gw");
        PkiFiles.write(caFiles, ca);
        PkiFiles.write(alice, issuer.client(ca, "alice@example.org", KeyType.ECDSA_P256, YEAR));
        PkiFiles.write(goodGw, issuer.gateway(ca, "vpn.example.net", List.of(), KeyType.ECDSA_P256, YEAR));
        PkiFiles.write(strangeGw, issuer.gateway(otherCa, "vpn.example.net", List.of(), KeyType.ECDSA_P256, YEAR));

        JsonObject config = new JsonObject();
        config.addProperty("gateway", GATEWAY);
        config.addProperty("auth", "certificate");
        config.addProperty("localId", "alice@example.org");
        config.addProperty("remoteId", "vpn.example.net");
        config.addProperty("cert", Files.readString(alice.certificate()));
        config.addProperty("key", Files.readString(alice.key()));
        config.addProperty("ca", Files.readString(caFiles.certificate()));

        peer = StrongSwanPeer.startGateway(lab.namespace(LabNode.G2), dir.resolve("sw-strange"),
                StrongSwanPeer.Gateway.defaults(GATEWAY), new StrongSwanPeer.Certificates(strangeGw.certificate(),
                        strangeGw.key(), caFiles.certificate(), "vpn.example.net", "%any"));
        try (ControlClient c = ControlClient.connect(socket)) {
            c.putProfile(Profile.of(PROFILE, ProfileKind.IKEV2_PSK, config), false);
            ControlException e = assertThrows(ControlException.class, () -> c.connectTunnel(PROFILE));
            assertEquals(ErrorCode.TUNNEL_FAILED, e.code(), e::getMessage);
            assertTrue(e.getMessage().contains("certificate not trusted: the gateway's certificate"
                    + " \"CN=vpn.example.net\"") && e.getMessage().contains("Another CA"), e::getMessage);
            TunnelInfo failed = c.status().tunnels().get(0);
            assertEquals(TunnelState.FAILED, failed.state());
            assertTrue(failed.error().startsWith("certificate not trusted"), failed::error);
            System.out.println("untrusted gateway: " + e.getMessage());

            peer.close();
            peer = StrongSwanPeer.startGateway(lab.namespace(LabNode.G2), dir.resolve("sw-good"),
                    StrongSwanPeer.Gateway.defaults(GATEWAY), new StrongSwanPeer.Certificates(goodGw.certificate(),
                            goodGw.key(), caFiles.certificate(), "vpn.example.net", "%any"));
            TunnelInfo up = c.connectTunnel(PROFILE);
            assertEquals(TunnelState.CONNECTED, up.state(), () -> "connect: " + up + "\n" + peer.log());
            ProcessResult ping = lab.exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3",
                    "-W", "2", E2);
            assertTrue(ping.succeeded(), () -> "ping G1 -> E2 through the tunnel: " + ping.describe() + peer.log());
            assertEquals(TunnelState.DISCONNECTED, c.disconnectTunnel(PROFILE).state());
            assertFalse(readQuietly(dir.resolve("daemon.log")).contains("PRIVATE KEY"), "the key is never logged");
        }
        assertTrue(peer.log().contains("authentication of 'alice@example.org' with ECDSA_WITH_SHA256_DER successful"),
                peer::log);
    }

    private static JsonObject ikeProfile(String psk) {
        JsonObject config = new JsonObject();
        config.addProperty("gateway", GATEWAY);
        config.addProperty("localId", "client.pathsec.test");
        config.addProperty("remoteId", "gw.sw.test");
        config.addProperty("psk", psk);
        JsonArray ike = new JsonArray();
        ike.add("aes256gcm16-prfsha256-curve25519");
        config.add("ikeProposals", ike);
        JsonArray esp = new JsonArray();
        esp.add("aes256gcm16");
        config.add("espProposals", esp);
        return config;
    }

    private boolean deviceExists(String device) throws IOException {
        return lab.exec(LabNode.G1, "ip", "link", "show", "dev", device).succeeded();
    }

    private String virtualIp(String device) throws IOException {
        ProcessResult addr = lab.exec(LabNode.G1, "ip", "-4", "-o", "addr", "show", "dev", device);
        Matcher m = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)").matcher(addr.stdout());
        if (!m.find()) {
            fail("no IPv4 address on " + device + ": " + addr.describe());
        }
        return m.group(1);
    }

    private List<TunnelState> stateEvents() {
        return events.stream().filter(e -> e instanceof TunnelStateChanged).map(e -> ((TunnelStateChanged) e).state())
                .toList();
    }

    private int indexOfState(TunnelState state) {
        return indexOf(e -> e instanceof TunnelStateChanged s && s.state() == state);
    }

    private int indexOf(java.util.function.Predicate<ControlEvent> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private int lastIndexOf(java.util.function.Predicate<ControlEvent> p) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static <T> List<T> distinctInOrder(List<T> items) {
        List<T> out = new ArrayList<>();
        for (T t : items) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The lines of charon's log that tell the story: exchanges, auth, SAs, virtual IP. */
    private static String charonExcerpt(String log) {
        StringBuilder sb = new StringBuilder();
        for (String line : log.split("\n")) {
            if (line.matches(".*(received packet|sending packet|parsed|generating|authentication|MAC mismatch"
                    + "|established|assigning virtual IP|peer requested virtual IP|deleting|closing|no shared key"
                    + "|tried \\d+ shared key).*")) {
                sb.append("  ").append(line).append('\n');
            }
        }
        return sb.toString();
    }

    static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Polls a condition another process brings about, bounded by {@code limit}. */
    static void awaitTrue(BooleanSupplier condition, Duration limit, java.util.function.Supplier<String> why)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(why.get());
            }
            Thread.sleep(50); // polling, bounded by the deadline
        }
    }
}
