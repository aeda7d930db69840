package io.pathsec.engine.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.policy.PolicyAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import static io.pathsec.engine.config.ConfigFiles.KEY_IN;
import static io.pathsec.engine.config.ConfigFiles.KEY_OUT;
import static io.pathsec.engine.config.ConfigFiles.VALID;
import static io.pathsec.engine.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaticConfigLoaderTest {
    @TempDir
    Path dir;

    private ConfigException failure(String text) throws IOException {
        Path file = write(dir, "g1.json", text, "rw-------");
        return assertThrows(ConfigException.class, () -> StaticConfigLoader.load(file));
    }

    private ConfigException failure(Consumer<JsonObject> change) throws IOException {
        JsonObject json = ConfigFiles.valid();
        change.accept(json);
        return failure(json.toString());
    }

    private static JsonObject sa(JsonObject root, int index) {
        return root.getAsJsonArray("sas").get(index).getAsJsonObject();
    }

    private static JsonObject policy(JsonObject root, int index) {
        return root.getAsJsonArray("policies").get(index).getAsJsonObject();
    }

    private static void assertProblem(ConfigException e, String path, String problemPart) {
        assertEquals(path, e.jsonPath(), e.getMessage());
        assertTrue(e.problem().contains(problemPart), e.getMessage());
        assertTrue(e.getMessage().startsWith(e.file() + ": " + (path.isEmpty() ? "" : path + ": ")),
                e.getMessage());
    }

    @Test
    void loadsTheDocumentedExample() throws Exception {
        Path file = write(dir, "g1.json", VALID, "rw-------");
        LoadedConfig loaded = StaticConfigLoader.load(file);
        StaticConfig c = loaded.config();
        assertEquals(List.of(), loaded.warnings());
        assertEquals("g1", c.name());
        assertEquals("pathsec0", c.tun().name());
        assertEquals(1400, c.tun().mtu());
        assertEquals(List.of(IpPrefix.parse("10.0.0.1/32")), c.tun().addresses());
        assertEquals(List.of(IpPrefix.parse("203.0.113.0/24"), IpPrefix.parse("2001:db8:b::/64")),
                c.tun().routes());
        assertEquals(new InetSocketAddress("198.51.100.1", 4500), c.listen());
        assertEquals(new InetSocketAddress("198.51.100.130", 4500), c.peer());
        assertEquals(IpsecMode.TUNNEL, c.mode());
        assertEquals(Direction.OUTBOUND, c.sas().get(0).direction());
        assertEquals(0x1000, c.outboundSa().spi());
        assertArrayEquals(HexFormat.of().parseHex(KEY_OUT), c.outboundSa().key());
        assertEquals(0x2000, c.sas().get(1).spi());
        assertEquals(1024, c.sas().get(1).replayWindow());
        assertEquals(0, c.sas().get(0).replayWindow());
        assertEquals(2, c.policies().size());
        assertEquals("policy-1", c.policies().get(1).name());
        assertEquals("2001:db8:a::/64", c.policies().get(1).selector().local().toString());
        assertEquals(PolicyAction.PROTECT, c.policies().get(0).action());
        assertEquals(2, c.workers());
        assertTrue(!c.outboundSa().toString().contains(KEY_OUT.substring(0, 16)));
    }

    @Test
    void defaultsFillOptionalFields() throws Exception {
        JsonObject json = ConfigFiles.valid();
        json.remove("tfcPadding");
        json.remove("workers");
        json.getAsJsonObject("peer").remove("port");
        sa(json, 1).remove("replayWindow");
        sa(json, 1).remove("esn");
        json.getAsJsonObject("tun").remove("mtu");
        StaticConfig c = StaticConfigLoader.load(write(dir, "g1.json", json.toString(), "rw-------")).config();
        assertEquals(0, c.tfcPadding());
        assertEquals(1, c.workers());
        assertEquals(4500, c.peer().getPort());
        assertEquals(1024, c.sas().get(1).replayWindow());
        assertTrue(c.sas().get(1).esn());
        assertEquals(1400, c.tun().mtu());
    }

    @Test
    void malformedJsonNamesLineAndPath() throws Exception {
        ConfigException e = failure(VALID.replace("\"mtu\": 1400,", "\"mtu\": 1400,,"));
        assertTrue(e.problem().startsWith("malformed JSON"), e.getMessage());
        assertTrue(e.problem().contains("line 3"), e.getMessage());
        assertEquals("tun.mtu", e.jsonPath());
        assertTrue(!e.getMessage().contains("Troubleshooting"), e.getMessage());
        assertTrue(!e.getMessage().contains("LENIENT"), e.getMessage());
        assertTrue(e.problem().contains("double commas"), e.getMessage());

        assertTrue(failure(VALID.replace("\"mode\": \"tunnel\",", "// comment\n\"mode\": \"tunnel\","))
                .problem().startsWith("malformed JSON"));
        assertTrue(failure(VALID.substring(0, VALID.length() / 2)).problem().startsWith("malformed JSON"));
        assertProblem(failure("{\"name\": \"g1\",\n \"tun\": {\n"), "tun", "malformed JSON: End of input at line 3");
        assertProblem(failure(VALID + "{}"), "", "");
        assertProblem(failure("[1, 2]"), "", "must be a JSON object");
    }

    @Test
    void duplicateFieldsAreRefused() throws Exception {
        assertProblem(failure(VALID.replace("\"esn\": true }", "\"esn\": true, \"esn\": false }")),
                "sas[0].esn", "field 'esn' appears twice");
    }

    @Test
    void missingFields() throws Exception {
        assertProblem(failure(j -> j.remove("name")), "name", "missing field 'name'");
        assertProblem(failure(j -> j.remove("peer")), "peer", "missing field 'peer'");
        assertProblem(failure(j -> j.getAsJsonObject("listen").remove("address")), "listen.address",
                "missing field 'address'");
        assertProblem(failure(j -> sa(j, 1).remove("key")), "sas[1].key", "missing field 'key'");
        assertProblem(failure(j -> policy(j, 1).remove("action")), "policies[1].action",
                "missing field 'action'");
    }

    @Test
    void unknownFieldsAreNamedWithAGuess() throws Exception {
        ConfigException e = failure(j -> {
            j.remove("tfcPadding");
            j.addProperty("tfcPading", 0);
        });
        assertProblem(e, "tfcPading", "unknown field 'tfcPading'; did you mean 'tfcPadding'?");
        assertProblem(failure(j -> sa(j, 1).addProperty("replayWindwo", 64)), "sas[1].replayWindwo",
                "did you mean 'replayWindow'?");
        assertProblem(failure(j -> j.getAsJsonObject("tun").addProperty("colour", "red")),
                "tun.colour", "unknown field 'colour'");
    }

    @Test
    void wrongTypes() throws Exception {
        assertProblem(failure(j -> j.addProperty("workers", "2")), "workers", "must be a number");
        assertProblem(failure(j -> j.addProperty("workers", 1.5)), "workers", "whole number");
        assertProblem(failure(j -> j.addProperty("workers", -1)), "workers", "from 0 to 256");
        assertProblem(failure(j -> sa(j, 0).addProperty("esn", "yes")), "sas[0].esn", "true or false");
        assertProblem(failure(j -> j.add("sas", new JsonObject())), "sas", "must be a list");
        assertProblem(failure(j -> j.getAsJsonObject("tun").getAsJsonArray("routes").add(5)),
                "tun.routes[2]", "must be a string");
        assertProblem(failure(j -> j.getAsJsonArray("policies").add(new JsonPrimitive("x"))),
                "policies[2]", "must be an object");
    }

    @Test
    void badAddresses() throws Exception {
        assertProblem(failure(j -> j.getAsJsonObject("listen").addProperty("address", "198.51.100.300")),
                "listen.address", "is not an IPv4 or IPv6 address");
        assertProblem(failure(j -> j.getAsJsonObject("peer").addProperty("address", "gw.example.com")),
                "peer.address", "is not an IPv4 or IPv6 address");
        assertProblem(failure(j -> j.getAsJsonObject("peer").addProperty("address", "2001:db8::1")),
                "peer.address", "the peer is IPv6 but listen.address is IPv4");
        assertProblem(failure(j -> policy(j, 1).addProperty("remote", "2001:db8:b::/129")),
                "policies[1].remote", "prefix length must be 0-128");
        assertProblem(failure(j -> policy(j, 0).addProperty("local", "192.0.2.1/24")),
                "policies[0].local", "host bits set; the network is 192.0.2.0/24");
        assertProblem(failure(j -> policy(j, 0).addProperty("remote", "2001:db8:b::/64")),
                "policies[0].remote", "is IPv6 but local is IPv4");
        assertProblem(failure(j -> j.getAsJsonObject("tun").getAsJsonArray("routes").set(0,
                new JsonPrimitive("203.0.113.7/24"))), "tun.routes[0]", "the network is 203.0.113.0/24");
        assertProblem(failure(j -> j.getAsJsonObject("tun").getAsJsonArray("addresses").set(0,
                new JsonPrimitive("10.0.0.1/40"))), "tun.addresses[0]", "prefix length must be 0-32");
        assertProblem(failure(j -> j.getAsJsonObject("listen").addProperty("port", 70000)),
                "listen.port", "from 1 to 65535");
    }

    @Test
    void keyLengthIsCheckedPerTransform() throws Exception {
        assertProblem(failure(j -> sa(j, 1).addProperty("key", KEY_IN.substring(0, 64))), "sas[1].key",
                "key must be 36 bytes (72 hex digits) for aes256gcm16, got 32 bytes");
        ConfigException e = failure(j -> {
            sa(j, 0).addProperty("transform", "aes128gcm16");
        });
        assertProblem(e, "sas[0].key", "key must be 20 bytes (40 hex digits) for aes128gcm16, got 36 bytes");
        assertProblem(failure(j -> {
            sa(j, 0).addProperty("transform", "aes256-sha256");
        }), "sas[0].key", "key must be 64 bytes (128 hex digits) for aes256-sha256, got 36 bytes");
        assertProblem(failure(j -> sa(j, 0).addProperty("key", KEY_OUT.replace('a', 'g'))), "sas[0].key",
                "hex digits only; character 21 is 'g'");
        assertProblem(failure(j -> sa(j, 0).addProperty("key", KEY_OUT + "0")), "sas[0].key",
                "odd number of hex digits (73)");
        assertProblem(failure(j -> sa(j, 0).addProperty("transform", "aes256gcm")), "sas[0].transform",
                "unknown transform \"aes256gcm\"; use one of aes128gcm16, aes256gcm16, chacha20poly1305,"
                        + " aes128-sha256, aes256-sha256");
    }

    @Test
    void reservedAndDuplicateSpis() throws Exception {
        assertProblem(failure(j -> sa(j, 0).addProperty("spi", "0")), "sas[0].spi",
                "SPI 0 is reserved for local use (RFC 4303 §2.1)");
        assertProblem(failure(j -> sa(j, 0).addProperty("spi", "0xff")), "sas[0].spi",
                "SPIs 1-255 are reserved by IANA");
        assertProblem(failure(j -> sa(j, 1).addProperty("spi", 1)), "sas[1].spi", "reserved by IANA");
        assertProblem(failure(j -> sa(j, 1).addProperty("spi", "0x100000000")), "sas[1].spi",
                "must fit in 32 bits");
        assertProblem(failure(j -> sa(j, 1).addProperty("spi", "0x10g0")), "sas[1].spi",
                "must be a number like 4096");
        assertProblem(failure(j -> {
            JsonObject copy = sa(j, 1).deepCopy();
            copy.addProperty("spi", 8192); // 0x2000 again
            j.getAsJsonArray("sas").add(copy);
        }), "sas[2].spi", "inbound SPI 0x2000 is already used by sas[1]");
    }

    @Test
    void spiTakesNumbersAndHex() throws Exception {
        JsonObject json = ConfigFiles.valid();
        sa(json, 0).addProperty("spi", 4096);
        sa(json, 1).addProperty("spi", "0xFFFFFFFF");
        StaticConfig c = StaticConfigLoader.load(write(dir, "g1.json", json.toString(), "rw-------")).config();
        assertEquals(0x1000, c.sas().get(0).spi());
        assertEquals(-1, c.sas().get(1).spi());
    }

    @Test
    void saSetMustHaveOneOutboundAndSomeInbound() throws Exception {
        assertProblem(failure(j -> sa(j, 1).addProperty("direction", "out")), "sas[1].replayWindow",
                "applies only to inbound SAs");
        assertProblem(failure(j -> {
            sa(j, 1).addProperty("direction", "out");
            sa(j, 1).remove("replayWindow");
        }), "sas", "exactly one SA with \"direction\": \"out\", found 2");
        assertProblem(failure(j -> j.getAsJsonArray("sas").remove(1)), "sas",
                "at least one SA with \"direction\": \"in\"");
        assertProblem(failure(j -> sa(j, 1).addProperty("direction", "inbound")), "sas[1].direction",
                "must be \"in\" or \"out\"");
    }

    @Test
    void modeAndPolicyMustAgree() throws Exception {
        assertProblem(failure(j -> j.addProperty("mode", "tunel")), "mode", "\"tunnel\" or \"transport\"");
        assertProblem(failure(j -> j.addProperty("mode", "transport")), "policies[0].local",
                "in transport mode a protect policy's local must be 198.51.100.1 (listen.address),"
                        + " got 192.0.2.0/24");
        ConfigException e = failure(j -> {
            j.addProperty("mode", "transport");
            JsonArray policies = new JsonArray();
            JsonObject p = new JsonObject();
            p.addProperty("local", "198.51.100.1");
            p.addProperty("remote", "198.51.100.131");
            p.addProperty("action", "protect");
            policies.add(p);
            j.add("policies", policies);
        });
        assertProblem(e, "policies[0].remote", "must be 198.51.100.130 (peer.address)");
    }

    @Test
    void transportModeBetweenTheEndpointsLoads() throws Exception {
        JsonObject json = ConfigFiles.valid();
        json.addProperty("mode", "transport");
        JsonArray policies = new JsonArray();
        JsonObject p = new JsonObject();
        p.addProperty("local", "198.51.100.1");
        p.addProperty("remote", "198.51.100.130");
        p.addProperty("protocol", "tcp");
        p.addProperty("remotePort", "22");
        p.addProperty("action", "protect");
        policies.add(p);
        JsonObject bypass = new JsonObject();
        bypass.addProperty("name", "lan");
        bypass.addProperty("local", "192.0.2.0/24");
        bypass.addProperty("remote", "any");
        bypass.addProperty("action", "bypass");
        policies.add(bypass);
        json.add("policies", policies);
        StaticConfig c = StaticConfigLoader.load(write(dir, "t.json", json.toString(), "rw-------")).config();
        assertEquals(IpsecMode.TRANSPORT, c.mode());
        assertEquals("22", c.policies().get(0).selector().remotePorts().toString());
        assertEquals(PolicyAction.BYPASS, c.policies().get(1).action());
    }

    @Test
    void policySelectorProblems() throws Exception {
        assertProblem(failure(j -> policy(j, 0).addProperty("localPort", "80")), "policies[0].localPort",
                "ports need \"protocol\" tcp, udp, sctp or udplite, not \"any\"");
        assertProblem(failure(j -> {
            policy(j, 0).addProperty("protocol", "tcp");
            policy(j, 0).addProperty("remotePort", "80-70000");
        }), "policies[0].remotePort", "port must be 0-65535");
        assertProblem(failure(j -> policy(j, 0).addProperty("protocol", "tcpp")), "policies[0].protocol",
                "is not a protocol");
        assertProblem(failure(j -> policy(j, 0).addProperty("icmpType", "3")), "policies[0].icmpType",
                "need \"protocol\": \"icmp\"");
        assertProblem(failure(j -> {
            policy(j, 0).addProperty("protocol", "icmp");
            policy(j, 0).addProperty("icmpCode", "300");
        }), "policies[0].icmpCode", "must be 0-255");
        assertProblem(failure(j -> policy(j, 1).addProperty("action", "allow")), "policies[1].action",
                "\"protect\", \"bypass\" or \"discard\"");
        assertProblem(failure(j -> {
            policy(j, 0).addProperty("name", "a");
            policy(j, 1).addProperty("name", "a");
        }), "policies[1].name", "already used by policies[0]");
    }

    @Test
    void icmpSelectorsLoad() throws Exception {
        JsonObject json = ConfigFiles.valid();
        policy(json, 0).addProperty("protocol", "icmp");
        policy(json, 0).addProperty("icmpType", "3");
        policy(json, 0).addProperty("icmpCode", "4");
        StaticConfig c = StaticConfigLoader.load(write(dir, "g1.json", json.toString(), "rw-------")).config();
        assertEquals("type 3 code 4", c.policies().get(0).selector().icmp().toString());
    }

    @Test
    void tunProblems() throws Exception {
        assertProblem(failure(j -> j.getAsJsonObject("tun").addProperty("mtu", 1200)), "tun.mtu",
                "at least 1280 because IPv6");
        assertProblem(failure(j -> j.getAsJsonObject("tun").addProperty("name", "a-name-much-too-long")),
                "tun.name", "1-15 letters");
        assertProblem(failure(j -> j.addProperty("name", "")), "name", "must be 1-63");
    }

    @Test
    void keysFromFilesRelativeToTheConfig() throws Exception {
        write(dir, "keys/g1-out.hex", KEY_OUT + "\n", "rw-------");
        write(dir, "keys/g1-in.hex", KEY_IN, "rw-r--r--");
        JsonObject json = ConfigFiles.valid();
        sa(json, 0).addProperty("key", "@file:keys/g1-out.hex");
        sa(json, 1).addProperty("key", "@file:keys/g1-in.hex");
        LoadedConfig loaded = StaticConfigLoader.load(write(dir, "g1.json", json.toString(), "rw-r--r--"));
        assertArrayEquals(HexFormat.of().parseHex(KEY_OUT), loaded.config().sas().get(0).key());
        assertArrayEquals(HexFormat.of().parseHex(KEY_IN), loaded.config().sas().get(1).key());
        // The config itself is 0644 but holds no keys; only the 0644 key file is reported.
        assertEquals(1, loaded.warnings().size(), loaded.warnings().toString());
        assertTrue(loaded.warnings().get(0).contains("g1-in.hex holds keys but is readable by others"),
                loaded.warnings().get(0));
        assertTrue(loaded.warnings().get(0).contains("chmod 600"));
    }

    @Test
    void inlineKeysInAReadableConfigAreWarnedAbout() throws Exception {
        LoadedConfig loaded = StaticConfigLoader.load(write(dir, "g1.json", VALID, "rw-r-----"));
        assertEquals(1, loaded.warnings().size());
        assertTrue(loaded.warnings().get(0).contains("readable by its group"), loaded.warnings().get(0));
    }

    @Test
    void keyFileProblems() throws Exception {
        assertProblem(failure(j -> sa(j, 0).addProperty("key", "@file:keys/missing.hex")), "sas[0].key",
                "cannot read key file");
        write(dir, "keys/short.hex", KEY_OUT.substring(2), "rw-------");
        assertProblem(failure(j -> sa(j, 0).addProperty("key", "@file:keys/short.hex")), "sas[0].key",
                "short.hex must be 36 bytes (72 hex digits) for aes256gcm16, got 35 bytes");
    }

    @Test
    void missingFile() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> StaticConfigLoader.load(dir.resolve("nothing.json")));
        assertProblem(e, "", "file not found");
    }

    @Test
    void noProtectPolicyIsAWarning() throws Exception {
        JsonObject json = ConfigFiles.valid();
        policy(json, 0).addProperty("action", "bypass");
        policy(json, 1).addProperty("action", "discard");
        LoadedConfig loaded = StaticConfigLoader.load(write(dir, "g1.json", json.toString(), "rw-------"));
        assertEquals(1, loaded.warnings().size());
        assertTrue(loaded.warnings().get(0).contains("no policy has action \"protect\""));
    }
}
