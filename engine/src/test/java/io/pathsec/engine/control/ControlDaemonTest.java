package io.pathsec.engine.control;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ControlProtocol;
import io.pathsec.engine.control.api.DaemonUnavailableException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.EventListener;
import io.pathsec.engine.control.api.EventType;
import io.pathsec.engine.control.api.HelloResult;
import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.LogLine;
import io.pathsec.engine.control.api.Method;
import io.pathsec.engine.control.api.PmtuMethod;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.control.api.ProfileSettingsResult;
import io.pathsec.engine.control.api.PutProfileResult;
import io.pathsec.engine.control.api.SaList;
import io.pathsec.engine.control.api.Status;
import io.pathsec.engine.control.api.TunnelCounters;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.engine.control.api.TunnelStateChanged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon through its real socket, with in-memory tunnels: every request, every error, broken
 * input, many subscribers, and secrets that must never come back out.
 */
@Timeout(60)
class ControlDaemonTest {
    private TestDaemon d;
    private ControlClient client;
    /** Every line the test client received, to search for secrets. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        d = new TestDaemon();
        client = ControlClient.connect(d.socket);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        d.close();
    }

    private PutProfileResult add(String name, String tun) throws Exception {
        PutProfileResult r = client.putProfile(Profile.of(name, ProfileKind.STATIC_KEY, TestProfiles.staticKey(name, tun)), false);
        seen.add(ControlCodec.gson().toJson(r));
        return r;
    }

    private static ControlException expect(ErrorCode code, Executable call) {
        ControlException e = assertThrows(ControlException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    @Test
    void helloAnswersVersionMethodsAndThePeer() throws Exception {
        HelloResult h = client.hello("test");
        assertEquals(ControlProtocol.VERSION, h.protocol());
        assertEquals("test", h.daemon());
        assertTrue(h.methods().containsAll(Method.wireNames()));
        assertTrue(h.events().contains("tunnel.counters"));
        assertEquals(ProcessHandle.current().pid(), h.peer().pid());
        expect(ErrorCode.UNSUPPORTED_VERSION, () -> client.call(Method.HELLO,
                new io.pathsec.engine.control.api.Hello("future", List.of(7)), HelloResult.class));
    }

    @Test
    void profilesCanBeAddedListedReadEditedAndDeleted() throws Exception {
        assertTrue(add("office", "psx0").created());
        assertEquals(List.of("office"), client.listProfiles().profiles().stream().map(p -> p.name()).toList());
        assertEquals(TunnelState.DISCONNECTED, client.listProfiles().profiles().get(0).state());

        Profile p = client.getProfile("office");
        seen.add(ControlCodec.gson().toJson(p));
        assertEquals(ProfileKind.STATIC_KEY, p.kind());
        assertEquals(List.of("sas[0].key", "sas[1].key"), p.storedSecrets());
        assertEquals(ControlProtocol.STORED_SECRET,
                p.config().getAsJsonArray("sas").get(0).getAsJsonObject().get("key").getAsString());
        assertEquals(ProfileSettings.DEFAULTS, p.settings());

        expect(ErrorCode.ALREADY_EXISTS, () -> add("office", "psx0"));
        // Edit: change the MTU, send the keys back as "@stored", swap the SAs' order.
        JsonObject edited = p.config().deepCopy();
        edited.getAsJsonObject("tun").addProperty("mtu", 1300);
        var sas = edited.getAsJsonArray("sas");
        var first = sas.remove(0);
        sas.add(first);
        PutProfileResult r = client.putProfile(new Profile("office", ProfileKind.STATIC_KEY, edited, null, null), true);
        assertFalse(r.created());
        TunnelInfo up = client.connectTunnel("office");
        StaticKeyProfile started = (StaticKeyProfile) d.tunnels.started.get("office");
        assertEquals(1300, started.config().tun().mtu());
        assertEquals(TestProfiles.OUT_KEY, java.util.HexFormat.of().formatHex(started.config().outboundSa().key()),
                "the stored key followed its SA");
        assertEquals(TunnelState.CONNECTED, up.state());

        assertTrue(client.deleteProfile("office").wasConnected());
        assertTrue(d.tunnels.started.isEmpty(), "deleting a connected profile took its tunnel down");
        assertTrue(client.listProfiles().profiles().isEmpty());
        expect(ErrorCode.NOT_FOUND, () -> client.getProfile("office"));
        expect(ErrorCode.NOT_FOUND, () -> client.deleteProfile("office"));
        try (Stream<Path> files = Files.walk(d.stateDir)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "nothing left on disk");
        }
    }

    @Test
    void secretsAreStoredApartWithMode0600() throws Exception {
        add("office", "psx0");
        Path secrets = d.stateDir.resolve("secrets/office.json");
        Path profile = d.stateDir.resolve("profiles/office.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.getParent())));
        assertTrue(Files.readString(secrets).contains(TestProfiles.OUT_KEY));
        assertFalse(Files.readString(profile).contains(TestProfiles.OUT_KEY));
        assertFalse(Files.readString(profile).contains(TestProfiles.IN_KEY));
    }

    @Test
    void invalidProfilesNameTheField() throws Exception {
        JsonObject badKey = TestProfiles.staticKey("bad", "psx0");
        badKey.getAsJsonArray("sas").get(1).getAsJsonObject().addProperty("key", "abcd");
        ControlException e = expect(ErrorCode.INVALID_PROFILE,
                () -> client.putProfile(Profile.of("bad", ProfileKind.STATIC_KEY, badKey), false));
        assertEquals("config.sas[1].key", e.error().field());
        assertTrue(e.getMessage().contains("36 bytes"), e.getMessage());

        JsonObject badMode = TestProfiles.staticKey("bad", "psx0");
        badMode.addProperty("mode", "sideways");
        assertEquals("config.mode", expect(ErrorCode.INVALID_PROFILE,
                () -> client.putProfile(Profile.of("bad", ProfileKind.STATIC_KEY, badMode), false)).error().field());

        JsonObject keyFile = TestProfiles.staticKey("bad", "psx0");
        keyFile.getAsJsonArray("sas").get(0).getAsJsonObject().addProperty("key", "@file:/etc/shadow");
        assertEquals("config.sas[0].key", expect(ErrorCode.INVALID_PROFILE,
                () -> client.putProfile(Profile.of("bad", ProfileKind.STATIC_KEY, keyFile), false)).error().field());

        JsonObject stored = TestProfiles.staticKey("bad", "psx0");
        stored.getAsJsonArray("sas").get(0).getAsJsonObject().addProperty("key", ControlProtocol.STORED_SECRET);
        assertEquals("config.sas[0].key", expect(ErrorCode.INVALID_PROFILE,
                () -> client.putProfile(Profile.of("bad", ProfileKind.STATIC_KEY, stored), false)).error().field(),
                "no stored key to keep for a new profile");

        assertEquals("config.name", expect(ErrorCode.INVALID_PROFILE, () -> client.putProfile(
                Profile.of("other", ProfileKind.STATIC_KEY, TestProfiles.staticKey("bad", "psx0")), false)).error().field());
        expect(ErrorCode.INVALID_PROFILE, () -> client.putProfile(Profile.of("nokind", null,
                TestProfiles.staticKey("nokind", "psx0")), false));
        expect(ErrorCode.BAD_REQUEST, () -> client.putProfile(Profile.of("../etc", ProfileKind.STATIC_KEY,
                TestProfiles.staticKey("x", "psx0")), false));
        assertTrue(client.listProfiles().profiles().isEmpty(), "nothing invalid was stored");
    }

    @Test
    void connectStatusSaAndDisconnect() throws Exception {
        add("office", "psx0");
        add("lab", "psx1");
        expect(ErrorCode.NOT_FOUND, () -> client.connectTunnel("nowhere"));
        expect(ErrorCode.NOT_FOUND, () -> client.securityAssociations("office"));

        TunnelInfo up = client.connectTunnel("office");
        assertEquals(TunnelState.CONNECTED, up.state());
        assertEquals("psx0", up.device());
        assertEquals(up.state(), client.connectTunnel("office").state(), "connect again is harmless");

        Status s = client.status();
        assertEquals(List.of("lab", "office"), s.tunnels().stream().map(TunnelInfo::profile).toList());
        TunnelInfo office = s.tunnels().get(1);
        assertEquals(TunnelState.CONNECTED, office.state());
        assertNotNull(office.counters());
        assertTrue(office.counters().sentPackets() > 0);
        assertEquals(TunnelState.DISCONNECTED, s.tunnels().get(0).state());
        assertNull(s.tunnels().get(0).counters());

        SaList sas = client.securityAssociations("office");
        seen.add(ControlCodec.gson().toJson(sas));
        assertEquals(List.of("0x00001000", "0x00002000"), sas.sas().stream().map(sa -> sa.spi()).toList());

        assertEquals(TunnelState.DISCONNECTED, client.disconnectTunnel("office").state());
        assertEquals(TunnelState.DISCONNECTED, client.disconnectTunnel("office").state(), "idempotent");
        expect(ErrorCode.NOT_FOUND, () -> client.disconnectTunnel("nowhere"));
    }

    @Test
    void aSlowConnectHoldsUpNeitherStatusNorOtherClients() throws Exception {
        add("office", "psx0");
        d.tunnels.hold = new CountDownLatch(1);
        java.util.concurrent.CompletableFuture<TunnelInfo> connecting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return client.connectTunnel("office");
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try (ControlClient other = ControlClient.connect(d.socket)) {
            assertEventually(() -> {
                try {
                    return other.status().tunnels().get(0).state() == TunnelState.CONNECTING;
                } catch (Exception e) {
                    return false;
                }
            }, "another client sees the tunnel connecting");
            assertEquals(TunnelState.CONNECTING, client.status().tunnels().get(0).state(),
                    "and so does the connecting client, on the same connection");
        } finally {
            d.tunnels.hold.countDown();
        }
        assertEquals(TunnelState.CONNECTED, connecting.get(10, TimeUnit.SECONDS).state());
    }

    @Test
    void unsubscribeStopsTheStream() throws Exception {
        add("office", "psx0");
        client.connectTunnel("office");
        Collector col = new Collector(1, 0);
        client.subscribe(List.of(EventType.TUNNEL_COUNTERS), "office", col);
        assertTrue(col.counters.await(10, TimeUnit.SECONDS));
        assertEquals(1, d.daemon.events().subscriberCount());
        client.unsubscribe();
        assertEquals(0, d.daemon.events().subscriberCount());
        expect(ErrorCode.BAD_REQUEST, () -> client.subscribe(List.of(), "../x", col));
        JsonObject unknownType = JsonParser.parseString("{\"events\":[\"weather\"]}").getAsJsonObject();
        expect(ErrorCode.BAD_REQUEST, () -> client.call(Method.SUBSCRIBE, unknownType,
                io.pathsec.engine.control.api.SubscribeResult.class));
    }

    @Test
    void aTunnelThatFailsIsReportedAndCanBeRetried() throws Exception {
        add("office", "psx0");
        d.tunnels.failWith = "TUN device psx0 is busy";
        ControlException e = expect(ErrorCode.TUNNEL_FAILED, () -> client.connectTunnel("office"));
        assertTrue(e.getMessage().contains("busy"));
        TunnelInfo failed = client.status().tunnels().get(0);
        assertEquals(TunnelState.FAILED, failed.state());
        assertTrue(failed.error().contains("busy"));
        d.tunnels.failWith = null;
        assertEquals(TunnelState.CONNECTED, client.connectTunnel("office").state());
    }

    @Test
    void settingsAreStoredPerProfile() throws Exception {
        add("office", "psx0");
        assertEquals(ProfileSettings.DEFAULTS, client.settings("office").settings());
        ProfileSettingsResult r = client.updateSettings("office",
                new ProfileSettings(IcmpHandling.RELAY_IKE, null, 1400));
        assertEquals(new ProfileSettings(IcmpHandling.RELAY_IKE, ProfileSettings.DEFAULTS.pmtuMethods(), 1400), r.settings());
        assertEquals(r.settings(), client.getProfile("office").settings());
        r = client.updateSettings("office", new ProfileSettings(null, List.of(PmtuMethod.TCP_MSS), null));
        assertEquals(List.of(PmtuMethod.TCP_MSS), r.settings().pmtuMethods());
        assertEquals(IcmpHandling.RELAY_IKE, r.settings().icmpHandling());

        assertEquals("settings.pmtuFloor", expect(ErrorCode.INVALID_PROFILE, () -> client.updateSettings("office",
                new ProfileSettings(null, null, 100))).error().field());
        JsonObject bogus = JsonParser.parseString("{\"name\":\"office\",\"settings\":{\"icmpHandling\":\"shout\"}}")
                .getAsJsonObject();
        assertEquals("settings.icmpHandling", expect(ErrorCode.INVALID_PROFILE,
                () -> client.call(Method.SETTINGS_SET, bogus, ProfileSettingsResult.class)).error().field());
        expect(ErrorCode.NOT_FOUND, () -> client.settings("nowhere"));
    }

    @Test
    void brokenRequestsGetAnErrorAndTheConnectionKeepsServing() throws Exception {
        try (RawClient raw = new RawClient(d.socket)) {
            raw.send("this is not json\n");
            assertError(raw.readLine(), "BAD_REQUEST", null);
            raw.send("[1,2]\n");
            assertError(raw.readLine(), "BAD_REQUEST", null);
            raw.send("{\"v\":2,\"id\":5,\"method\":\"status\"}\n");
            assertError(raw.readLine(), "UNSUPPORTED_VERSION", 5);
            raw.send("{\"id\":6,\"method\":\"status\"}\n");
            assertError(raw.readLine(), "UNSUPPORTED_VERSION", 6);
            raw.send("{\"v\":1,\"method\":\"status\"}\n");
            assertError(raw.readLine(), "BAD_REQUEST", null);
            raw.send("{\"v\":1,\"id\":7,\"method\":\"reboot\"}\n");
            assertError(raw.readLine(), "BAD_REQUEST", 7);
            raw.send("{\"v\":1,\"id\":8,\"method\":\"connect\",\"params\":[]}\n");
            assertError(raw.readLine(), "BAD_REQUEST", 8);
            raw.send("{\"v\":1,\"id\":9,\"method\":\"connect\",\"params\":{}}\n");
            assertError(raw.readLine(), "BAD_REQUEST", 9);
            // 2 MiB without a newline, then the rest of the line: one TOO_LARGE, nothing parsed.
            byte[] huge = new byte[2 << 20];
            Arrays.fill(huge, (byte) 'x');
            raw.send(huge);
            raw.send("{\"v\":1,\"id\":10}\n");
            assertError(raw.readLine(), "TOO_LARGE", null);
            raw.send("{\"v\":1,\"id\":11,\"method\":\"status\"}\n");
            JsonObject ok = JsonParser.parseString(raw.readLine()).getAsJsonObject();
            assertEquals(11, ok.get("id").getAsInt());
            assertTrue(ok.has("result"), "the same connection still serves");
        }
        assertNotNull(client.status(), "and so does every other client");
        expect(ErrorCode.TOO_LARGE, () -> client.call(Method.STATUS,
                java.util.Map.of("padding", "y".repeat(ControlProtocol.MAX_MESSAGE_BYTES)), Status.class));
        assertNotNull(client.status(), "the client refused it before sending");
    }

    private static void assertError(String line, String code, Integer id) {
        assertNotNull(line, "an answer");
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        assertEquals(1, o.get("v").getAsInt());
        assertEquals(code, o.getAsJsonObject("error").get("code").getAsString(), line);
        if (id == null) {
            assertTrue(o.get("id").isJsonNull(), line);
        } else {
            assertEquals(id, o.get("id").getAsInt());
        }
    }

    /** Collects events until told how many it waits for. */
    private static final class Collector implements EventListener {
        final List<ControlEvent> events = new CopyOnWriteArrayList<>();
        final CountDownLatch counters;
        final CountDownLatch states;

        Collector(int counters, int states) {
            this.counters = new CountDownLatch(counters);
            this.states = new CountDownLatch(states);
        }

        @Override
        public void onEvent(ControlEvent e) {
            events.add(e);
            if (e instanceof TunnelCounters) {
                counters.countDown();
            } else if (e instanceof TunnelStateChanged) {
                states.countDown();
            }
        }
    }

    @Test
    void twentySubscribersEachReceiveStateCountersAndLogs() throws Exception {
        add("office", "psx0");
        List<ControlClient> subscribers = new ArrayList<>();
        List<Collector> collectors = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                ControlClient c = ControlClient.connect(d.socket);
                subscribers.add(c);
                Collector col = new Collector(2, 2);
                collectors.add(col);
                c.subscribe(List.of(), null, col);
            }
            client.connectTunnel("office");
            d.daemon.publishLog(new LogLine(null, System.currentTimeMillis(), "INFO", "Test", "hello subscribers"));
            for (Collector col : collectors) {
                assertTrue(col.states.await(10, TimeUnit.SECONDS), "connecting and connected");
                assertTrue(col.counters.await(10, TimeUnit.SECONDS), "two counter samples");
                TunnelCounters last = (TunnelCounters) col.events.stream().filter(e -> e instanceof TunnelCounters)
                        .reduce((a, b) -> b).orElseThrow();
                assertEquals("office", last.profile());
                assertTrue(last.counters().sentBytes() > 0);
                assertTrue(col.events.stream().anyMatch(e -> e instanceof LogLine l && l.message().equals("hello subscribers")));
            }
            List<TunnelState> states = collectors.get(0).events.stream()
                    .filter(e -> e instanceof TunnelStateChanged).map(e -> ((TunnelStateChanged) e).state()).toList();
            assertEquals(List.of(TunnelState.CONNECTING, TunnelState.CONNECTED), states.subList(0, 2));
            collectors.forEach(col -> col.events.forEach(e -> seen.add(ControlCodec.event(e))));
        } finally {
            subscribers.forEach(ControlClient::close);
        }
    }

    @Test
    void aSubscriberThatVanishesMidStreamIsForgotten() throws Exception {
        add("office", "psx0");
        client.connectTunnel("office");
        try (RawClient raw = new RawClient(d.socket)) {
            raw.send("{\"v\":1,\"id\":1,\"method\":\"subscribe\",\"params\":{\"events\":[\"tunnel.counters\"]}}\n");
            assertTrue(raw.readLine().contains("\"result\""));
            assertTrue(raw.readLine().contains("tunnel.counters"), "events flow");
        } // closed without a word, in the middle of the stream
        assertEventually(() -> d.daemon.events().subscriberCount() == 0, "the daemon dropped the subscriber");
        assertEquals(TunnelState.CONNECTED, client.status().tunnels().get(0).state(), "the tunnel runs on");
    }

    @Test
    void aSlowSubscriberLosesEventsAndIsToldWhileOthersGetAll() throws Exception {
        List<LogLine> received = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(2000);
        ControlClient quick = ControlClient.connect(d.socket);
        try (RawClient slow = new RawClient(d.socket)) {
            quick.subscribe(List.of(EventType.LOG), null, e -> {
                if (e instanceof LogLine l && l.logger().equals("flood")) {
                    received.add(l);
                    all.countDown();
                }
            });
            slow.send("{\"v\":1,\"id\":1,\"method\":\"subscribe\",\"params\":{\"events\":[\"log\"]}}\n");
            assertTrue(slow.readLine().contains("\"result\""));
            String text = "z".repeat(1000);
            // 2 MB for a reader that reads nothing, 8x its buffer; in batches the reading
            // subscriber can keep up with, so any loss would be the slow one's fault.
            for (int batch = 0; batch < 20; batch++) {
                for (int i = 0; i < 100; i++) {
                    d.daemon.publishLog(new LogLine(null, i, "INFO", "flood", text));
                }
                int expected = (batch + 1) * 100;
                assertEventually(() -> received.size() >= expected, "the reader has batch " + expected);
            }
            assertTrue(all.await(20, TimeUnit.SECONDS), "the reading subscriber got every event: " + received.size());
            boolean told = false;
            for (int i = 0; i < 2100 && !told; i++) { // bounded: at most every event plus the notice
                String line = slow.readLine();
                assertNotNull(line);
                told = line.contains("events.dropped");
            }
            assertTrue(told, "the slow subscriber heard that it lost events");
        } finally {
            quick.close();
        }
    }

    @Test
    void secretsNeverLeaveTheDaemon() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ControlClient watcher = ControlClient.connect(d.socket);
        watcher.subscribe(List.of(), null, e -> lines.add(ControlCodec.event(e)));
        add("office", "psx0");
        Profile p = client.getProfile("office");
        seen.add(ControlCodec.gson().toJson(p));
        client.putProfile(new Profile("office", ProfileKind.STATIC_KEY, p.config(), null, null), true);
        seen.add(ControlCodec.gson().toJson(client.connectTunnel("office")));
        seen.add(ControlCodec.gson().toJson(client.status()));
        seen.add(ControlCodec.gson().toJson(client.securityAssociations("office")));
        seen.add(ControlCodec.gson().toJson(client.listProfiles()));
        // A bad key must not be echoed either.
        JsonObject bad = TestProfiles.staticKey("office", "psx0");
        bad.getAsJsonArray("sas").get(0).getAsJsonObject().addProperty("key", TestProfiles.OUT_KEY + "00");
        seen.add(expect(ErrorCode.INVALID_PROFILE, () -> client.putProfile(
                Profile.of("office", ProfileKind.STATIC_KEY, bad), true)).getMessage());
        client.disconnectTunnel("office");
        watcher.close();
        seen.addAll(lines);
        seen.addAll(d.logLines());
        assertFalse(d.logLines().isEmpty());
        for (String key : List.of(TestProfiles.OUT_KEY, TestProfiles.IN_KEY, TestProfiles.OUT_KEY.substring(0, 20),
                TestProfiles.IN_KEY.substring(6, 30))) {
            for (String s : seen) {
                assertFalse(s.toLowerCase().contains(key), "a secret leaked: " + s);
            }
        }
    }

    @Test
    void noDaemonIsReportedClearly() throws Exception {
        Path nowhere = d.dir.resolve("nowhere.sock");
        DaemonUnavailableException e = assertThrows(DaemonUnavailableException.class, () -> ControlClient.connect(nowhere));
        assertEquals(DaemonUnavailableException.Reason.NO_SOCKET, e.reason());
        assertTrue(e.getMessage().contains("start it with: sudo pathsec daemon"), e.getMessage());
    }

    @Test
    void aStaleSocketIsReplacedAndALiveDaemonIsNot() throws Exception {
        IOException twice = assertThrows(IOException.class, () -> ControlDaemon.start(
                DaemonOptions.standard(d.socket, d.stateDir, "second")));
        assertTrue(twice.getMessage().contains("already listening"), twice.getMessage());
        assertNotNull(client.status(), "the first daemon still serves");

        Path stale = d.dir.resolve("stale/control.sock");
        Files.createDirectories(stale.getParent());
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(stale)); // bound and closed: a socket file nobody serves
        }
        DaemonUnavailableException e = assertThrows(DaemonUnavailableException.class, () -> ControlClient.connect(stale));
        assertEquals(DaemonUnavailableException.Reason.NOT_LISTENING, e.reason());
        try (ControlDaemon second = ControlDaemon.start(DaemonOptions.standard(stale, d.dir.resolve("state2"), "2")
                .withStarter(d.tunnels)); ControlClient c = ControlClient.connect(stale)) {
            assertEquals("2", c.hello("t").daemon());
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(stale)));
        }
        assertFalse(Files.exists(stale), "a stopped daemon removes its socket");
    }

    static void assertEventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(20);
        }
    }
}
