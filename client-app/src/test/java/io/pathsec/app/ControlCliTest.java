package io.pathsec.app;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.pathsec.engine.control.ControlDaemon;
import io.pathsec.engine.control.DaemonOptions;
import io.pathsec.engine.control.RunningTunnel;
import io.pathsec.engine.control.StaticKeyProfile;
import io.pathsec.engine.control.TunnelStarter;
import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.SaInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pathsec CLI against a daemon on a temporary socket (tunnels in memory): each command's
 * output, its --json form, and its exit code for each kind of failure.
 */
@Timeout(60)
class ControlCliTest {
    private static final String OUT_KEY = "5ec2e7000000000000000000000000000000000000000000000000000000000000000001";
    private static final String IN_KEY = "5ec2e7111111111111111111111111111111111111111111111111111111111111111102";

    private Path dir;
    private Path socket;
    private ControlDaemon daemon;
    private final List<String> allOutput = new ArrayList<>();

    /** Tunnels without a kernel: growing counters, one SA per configured SA. */
    /** PMTU states the in-memory tunnels report, by profile; none unless a test puts some. */
    private static final Map<String, List<io.pathsec.engine.pmtu.PmtuState>> PMTU =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static final TunnelStarter IN_MEMORY = profile -> {
        StaticKeyProfile p = (StaticKeyProfile) profile;
        AtomicLong reads = new AtomicLong();
        return new RunningTunnel() {
            @Override
            public String device() {
                return p.config().tun().name();
            }

            @Override
            public Counters counters() {
                long n = reads.incrementAndGet();
                return new Counters(n, n * 1400, n, n * 1400, Map.of(), Map.of());
            }

            @Override
            public List<SaInfo> securityAssociations() {
                return p.config().sas().stream().map(sa -> new SaInfo(String.format("0x%08x", sa.spi()),
                        sa.direction().name().toLowerCase(), sa.transform(), "tunnel", "198.51.100.71:4500",
                        "198.51.100.72:4500", true, true, 1024, 0, 0, Map.of(), "2026-01-01T00:00:00Z")).toList();
            }

            @Override
            public List<io.pathsec.engine.pmtu.PmtuState> pmtuStates() {
                return PMTU.getOrDefault(p.name(), List.of());
            }

            @Override
            public void close() {
            }
        };
    };

    /** One run of the pathsec command line. */
    private record Run(int exit, String out, String err) {
    }

    private Run pathsec(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = PathSec.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> withSocket = new ArrayList<>(List.of(args));
        if (!withSocket.contains("--socket")) {
            withSocket.add("--socket");
            withSocket.add(socket.toString());
        }
        int exit = cl.execute(withSocket.toArray(String[]::new));
        allOutput.add(out.toString());
        allOutput.add(err.toString());
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void start() throws IOException {
        PMTU.clear();
        dir = Files.createTempDirectory("pathsec-cli-");
        socket = dir.resolve("run/control.sock");
        daemon = ControlDaemon.start(DaemonOptions.standard(socket, dir.resolve("state"), "cli-test")
                .withStarter(IN_MEMORY));
        Files.writeString(dir.resolve("out.hex"), OUT_KEY + "\n");
        Files.writeString(dir.resolve("office.json"), """
                { "name": "office",
                  "tun": { "name": "psq0", "addresses": ["10.77.0.1/32"], "routes": ["10.78.0.0/24"] },
                  "listen": { "address": "198.51.100.71" }, "peer": { "address": "198.51.100.72" }, "mode": "tunnel",
                  "sas": [ { "direction": "out", "spi": "0x1000", "transform": "aes256gcm16", "key": "@file:out.hex" },
                           { "direction": "in", "spi": "0x2000", "transform": "aes256gcm16", "key": "%s" } ],
                  "policies": [ { "local": "10.77.0.0/24", "remote": "10.78.0.0/24", "action": "protect" } ] }
                """.formatted(IN_KEY));
    }

    @AfterEach
    void stop() throws IOException {
        daemon.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        for (String text : allOutput) {
            assertFalse(text.contains(OUT_KEY) || text.contains(IN_KEY), "a key was printed: " + text);
        }
    }

    @Test
    void profilesAddListShowAndRemove() {
        Run add = pathsec("profiles", "add", dir.resolve("office.json").toString());
        assertEquals(0, add.exit(), add.err());
        assertEquals("profile office added", add.out().strip());
        assertEquals(ExitCodes.ALREADY_EXISTS, pathsec("profiles", "add", dir.resolve("office.json").toString()).exit());
        assertEquals(0, pathsec("profiles", "add", "--replace", dir.resolve("office.json").toString()).exit());

        Run list = pathsec("profiles", "list");
        assertTrue(list.out().contains("office") && list.out().contains("static-key") && list.out().contains("disconnected"),
                list.out());
        JsonObject json = JsonParser.parseString(pathsec("profiles", "list", "--json").out()).getAsJsonObject();
        assertEquals("office", json.getAsJsonArray("profiles").get(0).getAsJsonObject().get("name").getAsString());

        Run show = pathsec("profiles", "show", "office");
        assertTrue(show.out().contains("\"@stored\""), show.out());

        Run rm = pathsec("profiles", "rm", "office");
        assertEquals("profile office removed", rm.out().strip());
        assertEquals(ExitCodes.NOT_FOUND, pathsec("profiles", "rm", "office").exit());
    }

    @Test
    void connectShowsProgressThenStatusSaEventsAndDisconnect() {
        pathsec("profiles", "add", dir.resolve("office.json").toString());
        Run connect = pathsec("connect", "office");
        assertEquals(0, connect.exit(), connect.err());
        assertEquals("office connected on psq0", connect.out().strip());
        assertTrue(connect.err().contains("connecting office") && connect.err().contains("office: connected"),
                connect.err());

        Run status = pathsec("status");
        assertTrue(status.out().contains("connected") && status.out().contains("psq0"), status.out());
        JsonObject json = JsonParser.parseString(pathsec("status", "--json").out()).getAsJsonObject();
        assertEquals("connected", json.getAsJsonArray("tunnels").get(0).getAsJsonObject().get("state").getAsString());

        Run sa = pathsec("sa", "office");
        assertTrue(sa.out().contains("0x00001000") && sa.out().contains("aes256gcm16"), sa.out());

        Run events = pathsec("events", "--count", "2", "--type", "tunnel.counters", "--json");
        assertEquals(0, events.exit(), events.err());
        List<String> lines = events.out().lines().toList();
        assertEquals(2, lines.size(), events.out());
        for (String line : lines) {
            JsonObject e = JsonParser.parseString(line).getAsJsonObject();
            assertEquals("tunnel.counters", e.get("event").getAsString());
            assertEquals("office", e.getAsJsonObject("data").get("profile").getAsString());
        }
        Run human = pathsec("events", "--count", "1", "--profile", "office", "--type", "tunnel.counters");
        assertTrue(human.out().contains("office tunnel.counters sent"), human.out());

        Run disconnect = pathsec("disconnect", "office");
        assertEquals("office disconnected", disconnect.out().strip());
        assertEquals(ExitCodes.NOT_FOUND, pathsec("sa", "office").exit(), "no SAs while disconnected");
    }

    @Test
    void failuresHaveMeaningfulExitCodesAndMessages() throws IOException {
        Run missing = pathsec("connect", "nowhere");
        assertEquals(ExitCodes.NOT_FOUND, missing.exit());
        assertTrue(missing.err().contains("no profile named nowhere"), missing.err());

        Files.writeString(dir.resolve("bad.json"), Files.readString(dir.resolve("office.json"))
                .replace("\"tunnel\"", "\"sideways\""));
        Run bad = pathsec("profiles", "add", dir.resolve("bad.json").toString());
        assertEquals(ExitCodes.CONFIG, bad.exit());
        assertTrue(bad.err().contains("config.mode"), bad.err());

        Run noFile = pathsec("profiles", "add", dir.resolve("absent.json").toString());
        assertEquals(ExitCodes.CONFIG, noFile.exit());

        Run noDaemon = pathsec("status", "--socket", dir.resolve("absent.sock").toString());
        assertEquals(ExitCodes.DAEMON_UNAVAILABLE, noDaemon.exit());
        assertTrue(noDaemon.err().contains("the PathSec daemon is not running (no socket at "
                + dir.resolve("absent.sock") + "); start it with: sudo pathsec daemon"), noDaemon.err());

        Run json = pathsec("connect", "nowhere", "--json");
        assertEquals("NOT_FOUND", JsonParser.parseString(json.out()).getAsJsonObject().get("code").getAsString());
    }

    @Test
    void profilesEditWithSetAndWithAnEditorKeepsTheKeys() throws IOException {
        pathsec("profiles", "add", dir.resolve("office.json").toString());
        Run set = pathsec("profiles", "edit", "office", "--set", "tun.mtu=1380", "--set", "tun.name=\"psq1\"");
        assertEquals(0, set.exit(), set.err());
        JsonObject config = JsonParser.parseString(pathsec("profiles", "show", "office", "--json").out())
                .getAsJsonObject().getAsJsonObject("config");
        assertEquals(1380, config.getAsJsonObject("tun").get("mtu").getAsInt());
        assertEquals("psq1", config.getAsJsonObject("tun").get("name").getAsString());
        assertEquals("@stored", config.getAsJsonArray("sas").get(0).getAsJsonObject().get("key").getAsString());

        Run edited = pathsec("profiles", "edit", "office", "--editor", "sed -i s/1380/1360/");
        assertEquals(0, edited.exit(), edited.err());
        assertEquals("profile office saved", edited.out().strip());
        assertEquals(0, pathsec("connect", "office").exit(), "the stored keys survived both edits");

        Run unchanged = pathsec("profiles", "edit", "office", "--editor", "true");
        assertEquals("profile office: no changes", unchanged.out().strip());

        Run invalid = pathsec("profiles", "edit", "office", "--editor", "sed -i s/tunnel/sideways/");
        assertEquals(ExitCodes.CONFIG, invalid.exit(), "an edit that never validates is given up");
        assertTrue(invalid.err().contains("config.mode"), invalid.err());
        Run bad = pathsec("profiles", "edit", "office", "--set", "mode=sideways");
        assertEquals(ExitCodes.CONFIG, bad.exit());
    }

    @Test
    void importsAnSswanFileWithItsPskFromAFile() throws IOException {
        Files.writeString(dir.resolve("home.sswan"), """
                {"uuid": "2b1f4a8e-0c7d-4e55-9a3b-6f0e2d9c8b11", "name": "Home Box", "type": "ikev2-psk",
                 "remote": {"addr": "198.51.100.10"}, "local": {"id": "laptop@example.net"},
                 "split-tunneling": {"block-ipv4": true}}
                """);
        Files.writeString(dir.resolve("psk.txt"), "0x" + OUT_KEY + "\n");
        Run imported = pathsec("profiles", "import", dir.resolve("home.sswan").toString(), "--psk-file",
                dir.resolve("psk.txt").toString());
        assertEquals(0, imported.exit(), imported.err());
        assertEquals("profile Home-Box imported; connect with: pathsec connect Home-Box", imported.out().strip());
        assertTrue(imported.err().contains("warning: split-tunneling.block-ipv4 ignored"), imported.err());
        Run list = pathsec("profiles", "list");
        assertTrue(list.out().contains("Home-Box") && list.out().contains("ikev2-psk"), list.out());

        Files.writeString(dir.resolve("eap.sswan"), """
                {"uuid": "d3a0b6c2-7e41-4c1a-b8f5-0a9e7c6d5e22", "name": "Work", "type": "ikev2-eap",
                 "remote": {"addr": "vpn.example.com"}}
                """);
        Run eap = pathsec("profiles", "import", dir.resolve("eap.sswan").toString(), "--psk-file",
                dir.resolve("psk.txt").toString());
        assertEquals(ExitCodes.CONFIG, eap.exit());
        assertTrue(eap.err().contains("\"ikev2-eap\" (username/password EAP) is not supported"), eap.err());
        assertEquals(ExitCodes.NOT_FOUND, pathsec("profiles", "import", dir.resolve("none.sswan").toString()).exit());
    }

    @Test
    void diagWritesAnOwnerOnlyZipAndRefusesToOverwrite() throws IOException {
        pathsec("profiles", "add", dir.resolve("office.json").toString());
        pathsec("connect", "office");
        Path zip = dir.resolve("bundle.zip");
        Run diag = pathsec("diag", "office", "--out", zip.toString(), "--capture-seconds", "0");
        assertEquals(0, diag.exit(), diag.err());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(zip)));
        List<String> names = new ArrayList<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertTrue(names.containsAll(List.of("README.txt", "status.json", "events.jsonl", "outer.pcap", "esp_sa")),
                names.toString());
        assertEquals(ExitCodes.ALREADY_EXISTS, pathsec("diag", "office", "--out", zip.toString(),
                "--capture-seconds", "0").exit());
        Run capture = pathsec("diag", "office", "--capture", "on");
        assertTrue(capture.out().contains("capture of office on"), capture.out());
        assertEquals(ExitCodes.NOT_FOUND, pathsec("diag", "nowhere", "--capture-seconds", "0").exit());
    }

    @Test
    void pmtuShowsTheSasAndSaysWhenThereIsNoPmtuData() {
        pathsec("profiles", "add", dir.resolve("office.json").toString());
        assertEquals(ExitCodes.NOT_FOUND, pathsec("pmtu", "office", "--count", "1").exit(), "not connected");
        pathsec("connect", "office");
        Run view = pathsec("pmtu", "office", "--count", "2");
        assertEquals(0, view.exit(), view.err());
        assertTrue(view.out().contains("0x00001000") && view.out().contains(PmtuCommand.NO_DATA), view.out());
        Run json = pathsec("pmtu", "office", "--count", "1", "--json");
        JsonObject v = JsonParser.parseString(json.out().strip()).getAsJsonObject();
        assertEquals("connected", v.get("state").getAsString());
        assertEquals(PmtuCommand.NO_DATA, v.get("note").getAsString());
    }

    @Test
    void pmtuShowsThePmtuStateWhenTheTunnelHasSome() {
        io.pathsec.engine.pmtu.PmtuState state = new io.pathsec.engine.pmtu.PmtuState("office-out 0x00001000",
                io.pathsec.engine.pmtu.PmtuSettings.defaults(), false,
                new io.pathsec.engine.pmtu.EffectiveMtu(false, true, true, n -> 40), java.time.Clock.systemUTC());
        state.blackHole(1438);
        PMTU.put("office", List.of(state));
        pathsec("profiles", "add", dir.resolve("office.json").toString());
        pathsec("connect", "office");
        Run view = pathsec("pmtu", "office", "--count", "1");
        assertEquals(0, view.exit(), view.err());
        assertTrue(view.out().contains("PLPMTU 1200") && view.out().contains("1438-byte packets vanished")
                && !view.out().contains(PmtuCommand.NO_DATA), view.out());
        Run json = pathsec("pmtu", "office", "--count", "1", "--json");
        JsonObject v = JsonParser.parseString(json.out().strip()).getAsJsonObject();
        JsonObject sa = v.getAsJsonArray("pmtu").get(0).getAsJsonObject();
        assertEquals("0x00001000", sa.get("spi").getAsString());
        assertEquals(1200, sa.get("plpmtu").getAsInt());
        assertEquals(state.effectiveMtu(), sa.get("effectiveMtu").getAsInt());
        assertTrue(sa.getAsJsonArray("history").size() >= 2, sa.toString());
        assertFalse(v.has("note") && !v.get("note").isJsonNull(), v.toString());
    }

    @Test
    void completionForBashCoversTheCommandTree() {
        StringWriter out = new StringWriter();
        CommandLine cl = PathSec.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("completion", "bash"));
        String script = out.toString();
        assertTrue(script.contains("complete") && script.contains("pathsec"), script);
        for (String word : List.of("connect", "profiles", "import", "edit", "diag", "pmtu")) {
            assertTrue(script.contains(word), "completes " + word);
        }
        assertEquals(ExitCodes.USAGE, PathSec.commandLine().execute("completion", "tcsh"));
    }
}
