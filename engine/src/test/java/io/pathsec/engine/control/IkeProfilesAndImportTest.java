package io.pathsec.engine.control;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.ImportProfile;
import io.pathsec.engine.control.api.ImportProfileResult;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.PutProfileResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IKEv2 PSK profiles through the real API: validation names the field, the PSK is write-only and
 * stored 0600, and strongSwan Android {@code .sswan} files import (PSK) or are refused by type.
 */
@Timeout(60)
class IkeProfilesAndImportTest {
    static final String PSK = "correct-horse-battery-staple-5ec2e7";

    /** A .sswan file as strongSwan's Android app documents them, with PathSec's PSK type. */
    static final String SSWAN_PSK = """
            {
              "uuid": "9f6c6ad6-5b3e-4f57-8a11-7b1c1b7d2f01",
              "name": "Office VPN (Berlin)",
              "type": "ikev2-psk",
              "remote": {"addr": "vpn.example.org", "id": "vpn.example.org",
                         "cert": "MIIBszCCAVmgAwIBAgIUQ1dGZXN0"},
              "local": {"id": "alice@example.org"},
              "ike-proposal": "aes256gcm16-prfsha256-curve25519-ecp256",
              "esp-proposal": "aes256gcm16-ecp256",
              "split-tunneling": {"subnets": "10.10.0.0/16 10.20.0.0/16", "block-ipv6": true},
              "dns-servers": "10.10.0.53",
              "mtu": 1380
            }
            """;

    private TestDaemon daemon;
    private ControlClient client;

    @BeforeEach
    void start() throws Exception {
        daemon = new TestDaemon();
        client = ControlClient.connect(daemon.socket);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        daemon.close();
    }

    static JsonObject ikeConfig() {
        return JsonParser.parseString("""
                {"gateway": "192.0.2.1", "localId": "alice@example.org", "remoteId": "gw.example.org",
                 "psk": "%s", "ikeProposals": ["aes128-sha256-modp2048", "aes256gcm16-prfsha384-x25519"],
                 "espProposals": ["aes128gcm16"], "remoteTs": ["10.0.0.0/8"]}
                """.formatted(PSK)).getAsJsonObject();
    }

    @Test
    void anIkeProfileKeepsItsPskWriteOnlyAndOwnerOnly() throws Exception {
        PutProfileResult r = client.putProfile(Profile.of("office", ProfileKind.IKEV2_PSK, ikeConfig()), false);
        assertTrue(r.created());
        Profile back = client.getProfile("office");
        assertEquals(ProfileKind.IKEV2_PSK, back.kind());
        assertEquals("@stored", back.config().get("psk").getAsString());
        assertEquals(List.of("psk"), back.storedSecrets());
        Path secrets = daemon.stateDir.resolve("secrets/office.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        assertTrue(Files.readString(secrets).contains(PSK));
        assertFalse(Files.readString(daemon.stateDir.resolve("profiles/office.json")).contains(PSK));

        // Put back as read: the stored PSK is kept.
        JsonObject edited = back.config().deepCopy();
        edited.addProperty("mtu", 1360);
        client.putProfile(Profile.of("office", ProfileKind.IKEV2_PSK, edited), true);
        assertTrue(Files.readString(secrets).contains(PSK));
        assertEquals(1360, client.getProfile("office").config().get("mtu").getAsInt());
        assertTrue(daemon.logLines().stream().noneMatch(l -> l.contains(PSK)), "the PSK is never logged");
    }

    @Test
    void invalidIkeProfilesNameTheField() throws Exception {
        assertInvalid("config.gateway", c -> c.remove("gateway"));
        assertInvalid("config.ikeProposals[1]", c -> c.getAsJsonArray("ikeProposals").set(1,
                new com.google.gson.JsonPrimitive("aes256gcm16-prfsha256-modp1024")));
        assertInvalid("config.espProposals[0]", c -> c.getAsJsonArray("espProposals").set(0,
                new com.google.gson.JsonPrimitive("3des-md5")));
        assertInvalid("config.remoteTs[0]", c -> c.getAsJsonArray("remoteTs").set(0,
                new com.google.gson.JsonPrimitive("10.0.0.1/8")));
        assertInvalid("config.trafficSelectors[0]", c -> {
            com.google.gson.JsonArray ts = new com.google.gson.JsonArray();
            ts.add("10.0.0.0/8 icmp 5201");
            c.add("trafficSelectors", ts);
        });
        assertInvalid("config.mtu", c -> c.addProperty("mtu", 100));
        assertInvalid("config.colour", c -> c.addProperty("colour", "blue"));
        assertInvalid("config.psk", c -> c.addProperty("psk", "0xnothex"));
        assertInvalid("config.ikeFragmentSize", c -> c.addProperty("ikeFragmentSize", 100));
        assertInvalid("config.ipv6", c -> c.addProperty("ipv6", "yes"));
        assertInvalid("config.natKeepaliveSeconds", c -> c.addProperty("natKeepaliveSeconds", -1));
        ControlException e = assertThrows(ControlException.class, () -> client.putProfile(
                Profile.of("x", ProfileKind.IKEV2_PSK, with(c -> c.addProperty("psk", "0xnothex"))), false));
        assertFalse(e.getMessage().contains("nothex"), "a refused PSK is not echoed: " + e.getMessage());
    }

    @Test
    void ipv6FragmentationAndKeepaliveSettingsAreAccepted() throws Exception {
        PutProfileResult r = client.putProfile(Profile.of("v6", ProfileKind.IKEV2_PSK, with(c -> {
            c.addProperty("ipv6", true);
            c.addProperty("ikeFragmentation", true);
            c.addProperty("ikeFragmentSize", 1280);
            c.addProperty("natKeepaliveSeconds", 25);
        })), false);
        assertTrue(r.created());
        JsonObject back = client.getProfile("v6").config();
        assertTrue(back.get("ipv6").getAsBoolean());
        assertEquals(1280, back.get("ikeFragmentSize").getAsInt());
    }

    @Test
    void narrowTrafficSelectorsAreAcceptedAndKept() throws Exception {
        PutProfileResult r = client.putProfile(Profile.of("narrow", ProfileKind.IKEV2_PSK, with(c -> {
            com.google.gson.JsonArray ts = new com.google.gson.JsonArray();
            ts.add("10.0.0.0/8 tcp 5201");
            ts.add("10.0.0.0/8 udp 5001");
            c.add("trafficSelectors", ts);
        })), false);
        assertTrue(r.created());
        assertEquals("[\"10.0.0.0/8 tcp 5201\",\"10.0.0.0/8 udp 5001\"]",
                client.getProfile("narrow").config().get("trafficSelectors").toString());
    }

    @Test
    void aShortPskIsAWarning() throws Exception {
        PutProfileResult r = client.putProfile(Profile.of("weak", ProfileKind.IKEV2_PSK,
                with(c -> c.addProperty("psk", "secret"))), false);
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("config.psk is shorter")), r.warnings().toString());
    }

    @Test
    void importsAPskSswanFileAndNamesWhatItLeftOut() throws Exception {
        ImportProfileResult r = client.importProfile(new ImportProfile("sswan", SSWAN_PSK, null, PSK, false));
        assertEquals("Office-VPN-Berlin", r.name());
        assertEquals(ProfileKind.IKEV2_PSK, r.kind());
        assertTrue(r.created());
        String warnings = String.join("\n", r.warnings());
        assertTrue(warnings.contains("remote.cert ignored"), warnings);
        assertTrue(warnings.contains("split-tunneling.block-ipv6 ignored"), warnings);
        assertTrue(warnings.contains("dns-servers ignored"), warnings);
        assertTrue(warnings.contains("[ecp256] ignored"), warnings);

        JsonObject c = client.getProfile("Office-VPN-Berlin").config();
        assertEquals("vpn.example.org", c.get("gateway").getAsString());
        assertEquals("alice@example.org", c.get("localId").getAsString());
        assertEquals("vpn.example.org", c.get("remoteId").getAsString());
        assertEquals("[\"10.10.0.0/16\",\"10.20.0.0/16\"]", c.get("remoteTs").toString());
        assertEquals("[\"aes256gcm16-prfsha256-curve25519-ecp256\"]", c.get("ikeProposals").toString());
        assertEquals(1380, c.get("mtu").getAsInt());
        assertEquals("@stored", c.get("psk").getAsString());

        // Importing again replaces and keeps the stored PSK when none is given.
        ImportProfileResult again = client.importProfile(new ImportProfile("sswan", SSWAN_PSK, "Office-VPN-Berlin",
                null, true));
        assertFalse(again.created());
        assertTrue(Files.readString(daemon.stateDir.resolve("secrets/Office-VPN-Berlin.json")).contains(PSK));
    }

    @Test
    void refusesCertificateAndEapTypesByName() throws Exception {
        for (String type : List.of("ikev2-eap", "ikev2-cert", "ikev2-cert-eap", "ikev2-eap-tls", "ikev2-byod-eap")) {
            String file = SSWAN_PSK.replace("\"ikev2-psk\"", "\"" + type + "\"");
            ControlException e = assertThrows(ControlException.class,
                    () -> client.importProfile(new ImportProfile("sswan", file, null, PSK, false)));
            assertEquals(ErrorCode.INVALID_PROFILE, e.code());
            assertEquals("sswan.type", e.error().field());
            assertTrue(e.getMessage().contains("\"" + type + "\"") && e.getMessage().contains("not supported"),
                    e.getMessage());
        }
        assertTrue(client.listProfiles().profiles().isEmpty(), "nothing was stored");
    }

    @Test
    void importRefusesWhatItCannotUse() throws Exception {
        ControlException noPsk = assertThrows(ControlException.class,
                () -> client.importProfile(new ImportProfile("sswan", SSWAN_PSK, null, null, false)));
        assertEquals("sswan.psk", noPsk.error().field());
        ControlException notJson = assertThrows(ControlException.class,
                () -> client.importProfile(new ImportProfile("sswan", "{not json", null, PSK, false)));
        assertEquals(ErrorCode.INVALID_PROFILE, notJson.code());
        ControlException format = assertThrows(ControlException.class,
                () -> client.importProfile(new ImportProfile("ovpn", SSWAN_PSK, null, PSK, false)));
        assertEquals(ErrorCode.BAD_REQUEST, format.code());
        ControlException noAddr = assertThrows(ControlException.class, () -> client.importProfile(
                new ImportProfile("sswan", SSWAN_PSK.replace("\"addr\"", "\"address\""), null, PSK, false)));
        assertEquals("sswan.remote.addr", noAddr.error().field());
    }

    @Test
    void sampleFilesInTheTestResourcesImport() throws Exception {
        Path dir = Path.of("src/test/resources/sswan");
        String psk = Files.readString(dir.resolve("home-psk.sswan"), StandardCharsets.UTF_8);
        assertEquals("home", client.importProfile(new ImportProfile("sswan", psk, null, PSK, false)).name());
        String eap = Files.readString(dir.resolve("work-eap.sswan"), StandardCharsets.UTF_8);
        ControlException e = assertThrows(ControlException.class,
                () -> client.importProfile(new ImportProfile("sswan", eap, null, PSK, false)));
        assertTrue(e.getMessage().contains("ikev2-eap"), e.getMessage());
    }

    private void assertInvalid(String field, java.util.function.Consumer<JsonObject> change) {
        ControlException e = assertThrows(ControlException.class,
                () -> client.putProfile(Profile.of("bad", ProfileKind.IKEV2_PSK, with(change)), false));
        assertEquals(ErrorCode.INVALID_PROFILE, e.code(), e.getMessage());
        assertEquals(field, e.error().field(), e.getMessage());
    }

    private static JsonObject with(java.util.function.Consumer<JsonObject> change) {
        JsonObject c = ikeConfig();
        change.accept(c);
        return c;
    }
}
