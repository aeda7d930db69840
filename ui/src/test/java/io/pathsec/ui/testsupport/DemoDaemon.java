package io.pathsec.ui.testsupport;

import io.pathsec.engine.control.ControlDaemon;
import io.pathsec.engine.control.DaemonOptions;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.LogLine;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSettings;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The daemon behind {@code scripts/screenshots.sh}: the real control daemon with in-memory
 * tunnels (no root, no TUN), three profiles, one of them connected, and a trickle of log lines,
 * so every view has something true to show. Runs until killed.
 *
 * <p>Usage: {@code DemoDaemon SOCKET STATE_DIR}
 */
public final class DemoDaemon {
    private DemoDaemon() {
    }

    /** Log lines a tunnel under load might produce: profile, level, source, message. */
    private static String[] demoLine(long i) {
        long seq = 40_000 + i * 3_217;
        return switch ((int) (i % 6)) {
            case 0 -> new String[]{"office", "INFO", "tunnel", "office: 2 SAs up on pathsec0, aes256gcm16 in UDP 4500"};
            case 1 -> new String[]{"office", "WARN", "replay", "SA 0x00002000 inbound: replayed packet, sequence "
                    + seq + " (RFC 4303 §3.4.3)"};
            case 2 -> new String[]{"branch", "ERROR", "tunnel", "branch: cannot bind 198.51.100.1:4500: Address already in use"};
            case 3 -> new String[]{"office", "INFO", "esp", "SA 0x00001000 outbound: " + seq + " packets sent"};
            case 4 -> new String[]{null, "INFO", "control", "client pathsec-gui subscribed to events"};
            default -> new String[]{"lab", "INFO", "profiles", "lab: profile stored (2 SAs, 1 policy)"};
        };
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        InMemoryTunnels tunnels = new InMemoryTunnels();
        ControlDaemon daemon = ControlDaemon.start(DaemonOptions.standard(socket, Path.of(args[1]), "demo")
                .withStarter(tunnels));
        try (ControlClient c = ControlClient.connect(socket)) {
            c.putProfile(Profile.of("office", ProfileKind.STATIC_KEY, TestProfiles.staticKey("office", "pathsec0",
                    "198.51.100.1", "198.51.100.130", "192.0.2.0/24", "203.0.113.0/24")), true);
            c.putProfile(Profile.of("lab", ProfileKind.STATIC_KEY, TestProfiles.staticKey("lab", "pathsec1",
                    "198.51.100.1", "198.51.100.140", "10.77.0.0/24", "10.78.0.0/24")), true);
            c.putProfile(Profile.of("branch", ProfileKind.STATIC_KEY, TestProfiles.staticKey("branch", "pathsec2",
                    "198.51.100.1", "198.51.100.150", "192.0.2.0/24", "10.30.0.0/24")), true);
            com.google.gson.JsonObject home = com.google.gson.JsonParser.parseString("""
                    {"gateway": "vpn.example.org", "localId": "alice@example.org", "remoteId": "vpn.example.org",
                     "psk": "correct horse battery staple", "remoteTs": ["10.0.0.0/8", "10.20.10.0/24"]}
                    """).getAsJsonObject();
            c.putProfile(Profile.of("home", ProfileKind.IKEV2_PSK, home), true);
            com.google.gson.JsonObject edge = com.google.gson.JsonParser.parseString("""
                    {"listen": "198.51.100.1", "localId": "vpn.example.org", "psk": "correct horse battery staple",
                     "pool": "10.201.0.0/24", "protectedSubnets": ["192.0.2.0/24"]}
                    """).getAsJsonObject();
            c.putProfile(Profile.of("edge", ProfileKind.IKEV2_GATEWAY, edge), true);
            c.connectTunnel("edge");
            c.updateSettings("office", new ProfileSettings(IcmpHandling.IMPLICIT, null, null));
            c.connectTunnel("office");
            // One failed profile, so the list and the log show what a failure looks like.
            tunnels.failWith = "cannot bind 198.51.100.1:4500: Address already in use";
            try {
                c.connectTunnel("branch");
            } catch (io.pathsec.engine.control.api.ControlException expected) {
                tunnels.failWith = null;
            }
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        long[] n = {0};
        timer.scheduleAtFixedRate(() -> {
            long i = n[0]++;
            String[] l = demoLine(i);
            daemon.publishLog(new LogLine(l[0], System.currentTimeMillis(), l[1], l[2], l[3]));
        }, 500, 900, TimeUnit.MILLISECONDS);
        // A path-MTU story for office, once the window listens (it starts after the window had
        // time to subscribe): a router on the path says 1400 (ICMP), later packets of 1338 vanish
        // with no ICMP (a black hole) and the SA falls to the base, then DPLPMTUD probes climb
        // back to what the path carries (RFC 8899 §5.2) and the TCP-MSS method confirms it.
        int[][] story = {{1500, 0}, {1400, 0}, {1280, 1}, {1280, 0}, {1344, 0}, {1376, 0}, {1392, 0}, {1400, 0}};
        String[] sources = {"CONFIGURED", "CLASSIC_ICMP", "BLACK_HOLE", "DPLPMTUD", "DPLPMTUD", "DPLPMTUD", "DPLPMTUD",
                "TCP_MSS"};
        int overhead = 62; // ESP-in-UDP with AES-GCM, BUILD-NOTES: 1400 outer carries 1338 inner
        for (int i = 0; i < story.length; i++) {
            int step = i;
            timer.schedule(() -> {
                int plpmtu = story[step][0];
                long at = System.currentTimeMillis();
                if (story[step][1] == 1) {
                    daemon.events().publish(new io.pathsec.engine.control.api.PmtuBlackHole("office", at, "0x00001000",
                            "office-out", 1338, 1400, plpmtu, plpmtu - overhead, "packets of 1338 bytes vanish "
                            + "between 198.51.100.1 and 198.51.100.130; no ICMP received; now using PLPMTU "
                            + plpmtu + " (inner MTU " + (plpmtu - overhead) + ")"));
                }
                daemon.events().publish(new io.pathsec.engine.control.api.PmtuSampled("office", at, "0x00001000",
                        "office-out", sources[step], plpmtu, plpmtu - overhead,
                        (step == 0 ? plpmtu : story[step - 1][0]) - overhead));
            }, 15 + 2L * i, TimeUnit.SECONDS);
        }
        // ICMP decisions as the engine publishes them (icmp.decision): E2's Port Unreachable carried
        // back on the quoted flow's SA under the implicit option, and a forged one from the outer path.
        timer.schedule(() -> daemon.events().publish(new io.pathsec.engine.control.api.IcmpDecision("office",
                System.currentTimeMillis(), io.pathsec.engine.control.api.IcmpOrigin.PEER_GATEWAY, "203.0.113.10", 4, 3,
                3, "destination-unreachable/port-unreachable", new io.pathsec.engine.control.api.IcmpQuotedFlow("udp",
                "192.0.2.10", 40000, "203.0.113.10", 5001), io.pathsec.engine.control.api.IcmpHandling.IMPLICIT,
                io.pathsec.engine.control.api.IcmpOutcome.DELIVERED, "office-in 0x00002000", null,
                "port-unreachable delivered")), 20, TimeUnit.SECONDS);
        timer.schedule(() -> daemon.events().publish(new io.pathsec.engine.control.api.IcmpDecision("office",
                System.currentTimeMillis(), io.pathsec.engine.control.api.IcmpOrigin.OUTER_PATH, "198.51.100.66", 4, 3,
                3, "destination-unreachable/port-unreachable", new io.pathsec.engine.control.api.IcmpQuotedFlow("udp",
                "192.0.2.10", 40000, "203.0.113.10", 5999), io.pathsec.engine.control.api.IcmpHandling.IMPLICIT,
                io.pathsec.engine.control.api.IcmpOutcome.DROPPED, null, "no-sa-for-quoted-flow",
                "forged port-unreachable rejected")), 22, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            timer.shutdownNow();
            daemon.close();
        }));
        System.out.println("demo daemon listening on " + socket);
        Thread.currentThread().join(); // until the script stops us
    }
}
