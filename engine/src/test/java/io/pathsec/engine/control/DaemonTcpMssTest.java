package io.pathsec.engine.control;

import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.EventType;
import io.pathsec.engine.control.api.PmtuMethod;
import io.pathsec.engine.control.api.PmtuReport;
import io.pathsec.engine.control.api.PmtuSampled;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.testsupport.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.pathsec.engine.control.DaemonIkeStrongSwanTest.awaitTrue;
import static io.pathsec.engine.control.DaemonIkeStrongSwanTest.readQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The daemon with the {@code tcp-mss} method on, in G1, connecting an {@code ikev2-psk} profile to
 * a PathSec gateway in G2 across R1, which clamps the MSS of SYNs to 1300: a {@code pmtu.sample}
 * event from source TCP_MSS brings the SA's PLPMTU to 1340, and {@code pmtu} shows it.
 */
@RequiresRoot
@Timeout(180)
class DaemonTcpMssTest {
    private static final String PROFILE = "mss";
    private static final String PSK = "daemon-tcp-mss-psk-0123456789";
    private static LabTopology lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void topology() throws IOException {
        lab = LabTopology.create(LabOptions.defaults().withMssClamp(1300));
    }

    @AfterAll
    static void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void tcpMssSampleOf1340ReachesSubscribers() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String gatewayAddress = lab.outerAddress(LabNode.G2, false).getHostAddress();
        Path gwProfile = dir.resolve("gw.json");
        Files.writeString(gwProfile, "{\"name\":\"gw\",\"listen\":\"" + gatewayAddress + "\",\"localId\":\"gw.pathsec.test\","
                + "\"psk\":\"" + PSK + "\",\"pool\":\"10.201.0.0/24\",\"protectedSubnets\":[\""
                + lab.protectedNetwork(LabNode.E2, false) + "\"]}");
        Path gwStatus = dir.resolve("gw.status.json");
        Process gateway = lab.start(LabNode.G2, List.of(java, "-cp", System.getProperty("java.class.path"),
                IkeGatewayService.class.getName(), gwProfile.toString(), gwStatus.toString()), dir.resolve("gw.log"));
        Path socket = dir.resolve("run/control.sock");
        Path daemonLog = dir.resolve("daemon.log");
        Files.createFile(daemonLog);
        Process daemon = lab.start(LabNode.G1, List.of(java, "-cp", System.getProperty("java.class.path"),
                ControlDaemonService.class.getName(), socket.toString(), dir.resolve("state").toString()), daemonLog);
        try {
            awaitTrue(() -> readQuietly(gwStatus).contains("LISTENING"), Duration.ofSeconds(30),
                    () -> readQuietly(dir.resolve("gw.log")));
            awaitTrue(() -> readQuietly(daemonLog).contains("ready "), Duration.ofSeconds(30), () -> readQuietly(daemonLog));
            List<ControlEvent> events = new CopyOnWriteArrayList<>();
            try (ControlClient watcher = ControlClient.connect(socket); ControlClient c = ControlClient.connect(socket)) {
                watcher.subscribe(List.of(EventType.PMTU_SAMPLE), PROFILE, events::add);
                JsonObject config = new JsonObject();
                config.addProperty("gateway", gatewayAddress);
                config.addProperty("localId", "client.pathsec.test");
                config.addProperty("remoteId", "gw.pathsec.test");
                config.addProperty("psk", PSK);
                ProfileSettings settings = new ProfileSettings(null, List.of(PmtuMethod.CLASSIC, PmtuMethod.TCP_MSS,
                        PmtuMethod.BLACK_HOLE_DETECTION), null);
                c.putProfile(new Profile(PROFILE, ProfileKind.IKEV2_PSK, config, settings, List.of()), false);
                TunnelInfo up = c.connectTunnel(PROFILE);
                assertEquals(TunnelState.CONNECTED, up.state(), () -> up + readQuietly(daemonLog));

                awaitTrue(() -> events.stream().anyMatch(e -> e instanceof PmtuSampled p && "TCP_MSS".equals(p.source())),
                        Duration.ofSeconds(15), () -> "events " + events + "\n" + readQuietly(daemonLog));
                PmtuSampled sample = (PmtuSampled) events.stream()
                        .filter(e -> e instanceof PmtuSampled p && "TCP_MSS".equals(p.source())).findFirst().orElseThrow();
                assertEquals(1340, sample.plpmtu(), sample::toString);
                PmtuReport report = c.pmtu(PROFILE);
                PmtuReport.Sa sa = report.sas().get(0);
                assertEquals(1340, sa.plpmtu(), report::toString);
                assertEquals(1340, sa.lastBySource().get("TCP_MSS").value(), report::toString);
                System.out.println("pmtu.sample from the TCP-MSS method: " + sample);
                c.disconnectTunnel(PROFILE);
            }
        } finally {
            stop(daemon);
            stop(gateway);
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM by PID: both services delete their SAs and remove their TUN devices
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
