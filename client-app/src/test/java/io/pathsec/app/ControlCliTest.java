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
                        sa.direction().name().toLowerCase(), sa.transform(), "tunnel", "198.18.7.1:4500",
                        "198.18.7.2:4500", true, true, 1024, 0, 0, Map.of(), "2026-01-01T00:00:00Z")).toList();
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
        dir = Files.createTempDirectory("pathsec-cli-");
        socket = dir.resolve("run/control.sock");
        daemon = ControlDaemon.start(DaemonOptions.standard(socket, dir.resolve("state"), "cli-test")
                .withStarter(IN_MEMORY));
        Files.writeString(dir.resolve("out.hex"), OUT_KEY + "\n");
        Files.writeString(dir.resolve("office.json"), """
                { "name": "office",
                  "tun": { "name": "psq0", "addresses": ["10.77.0.1/32"], "routes": ["10.78.0.0/24"] },
                  "listen": { "address": "198.18.7.1" }, "peer": { "address": "198.18.7.2" }, "mode": "tunnel",
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
}
