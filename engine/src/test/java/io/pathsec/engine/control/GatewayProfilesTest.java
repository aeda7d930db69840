package io.pathsec.engine.control;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.PutProfileResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ikev2-gateway} profiles through the real API, no root: validation names the field, the
 * PSK is write-only, and {@code gateway.clients} says why it has nothing to list.
 */
@Timeout(60)
class GatewayProfilesTest {
    private static final String PSK = "gateway-profile-psk-0123456789abcdef";
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

    static JsonObject gatewayConfig() {
        return JsonParser.parseString("""
                {"listen": "192.0.2.1", "localId": "vpn.example.org", "psk": "%s", "pool": "10.201.0.0/24",
                 "pool6": "2001:db8:c::/112", "protectedSubnets": ["10.2.0.0/24"], "dns": ["10.2.0.53"],
                 "espProposals": ["aes128gcm16"]}
                """.formatted(PSK)).getAsJsonObject();
    }

    @Test
    void aGatewayProfileIsStoredWithItsPskWriteOnly() throws Exception {
        PutProfileResult r = client.putProfile(Profile.of("edge", ProfileKind.IKEV2_GATEWAY, gatewayConfig()), false);
        assertTrue(r.created());
        Profile back = client.getProfile("edge");
        assertEquals(ProfileKind.IKEV2_GATEWAY, back.kind());
        assertEquals("@stored", back.config().get("psk").getAsString());
        assertEquals(List.of("psk"), back.storedSecrets());
        assertFalse(back.config().toString().contains(PSK));
        // Sent back with the marker, the stored PSK is kept.
        client.putProfile(Profile.of("edge", ProfileKind.IKEV2_GATEWAY, back.config()), true);
    }

    @Test
    void invalidGatewayProfilesNameTheField() {
        assertInvalid("config.listen", c -> c.remove("listen"));
        assertInvalid("config.listen", c -> c.addProperty("listen", "vpn.example.org"));
        assertInvalid("config.pool", c -> c.remove("pool"));
        assertInvalid("config.pool", c -> c.addProperty("pool", "2001:db8::/64"));
        assertInvalid("config.pool6", c -> c.addProperty("pool6", "10.9.0.0/24"));
        assertInvalid("config.protectedSubnets", c -> c.remove("protectedSubnets"));
        assertInvalid("config.protectedSubnets[0]", c -> c.add("protectedSubnets",
                JsonParser.parseString("[\"10.2.0.300/24\"]")));
        assertInvalid("config.psk", c -> c.remove("psk"));
        assertInvalid("config.localId", c -> c.remove("localId"));
        assertInvalid("config.espProposals[0]", c -> c.add("espProposals", JsonParser.parseString("[\"des\"]")));
        assertInvalid("config.dns[0]", c -> c.add("dns", JsonParser.parseString("[\"ns.example.org\"]")));
        assertInvalid("config.remoteTs", c -> c.add("remoteTs", JsonParser.parseString("[]")));
    }

    @Test
    void gatewayClientsNeedsARunningGatewayProfile() throws Exception {
        client.putProfile(Profile.of("edge", ProfileKind.IKEV2_GATEWAY, gatewayConfig()), false);
        ControlException notRunning = assertThrows(ControlException.class, () -> client.gatewayClients("edge"));
        assertEquals(ErrorCode.NOT_FOUND, notRunning.code());
        assertTrue(notRunning.getMessage().contains("not running"), notRunning::getMessage);
        client.putProfile(Profile.of("office", ProfileKind.IKEV2_PSK, IkeProfilesAndImportTest.ikeConfig()), false);
        ControlException client = assertThrows(ControlException.class, () -> this.client.gatewayClients("office"));
        assertEquals(ErrorCode.BAD_REQUEST, client.code());
        ControlException missing = assertThrows(ControlException.class, () -> this.client.gatewayClients("nope"));
        assertEquals(ErrorCode.NOT_FOUND, missing.code());
    }

    @Test
    void aHostToHostGatewayNeedsNoPoolAndAClientNamesItsMode() throws Exception {
        JsonObject hostGateway = gatewayConfig();
        hostGateway.remove("pool");
        hostGateway.remove("pool6");
        hostGateway.addProperty("allowTransportMode", true);
        assertTrue(client.putProfile(Profile.of("h2", ProfileKind.IKEV2_GATEWAY, hostGateway), false).created());
        JsonObject transport = IkeProfilesAndImportTest.ikeConfig();
        transport.addProperty("mode", "transport");
        assertTrue(client.putProfile(Profile.of("h1", ProfileKind.IKEV2_PSK, transport), false).created());
        transport.addProperty("mode", "beet");
        ControlException e = assertThrows(ControlException.class,
                () -> client.putProfile(Profile.of("h3", ProfileKind.IKEV2_PSK, transport), false));
        assertEquals("config.mode", e.error().field(), e.getMessage());
    }

    private void assertInvalid(String field, Consumer<JsonObject> change) {
        JsonObject config = gatewayConfig();
        change.accept(config);
        ControlException e = assertThrows(ControlException.class,
                () -> client.putProfile(Profile.of("bad", ProfileKind.IKEV2_GATEWAY, config), false));
        assertEquals(ErrorCode.INVALID_PROFILE, e.code(), e.getMessage());
        assertEquals(field, e.error().field(), e.getMessage());
    }
}
