package io.pathsec.ui.profiles;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.pathsec.engine.control.api.ControlProtocol;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoadWarriorFormTest {
    @Test
    void fieldsAreCheckedAndSplitRoutesOnlyMatterForASplitTunnel() {
        RoadWarriorForm f = new RoadWarriorForm();
        assertFalse(f.validate());
        f.name.valueProperty().set("home");
        f.gateway.valueProperty().set("vpn.example.org");
        f.identity.valueProperty().set("alice@example.org");
        f.psk.valueProperty().set("short");
        assertTrue(f.psk.error().contains("at least 16"), f.psk.error());
        f.psk.valueProperty().set("correct horse battery staple");
        assertTrue(f.validate(), "a full tunnel needs no networks");
        f.fullTunnelProperty().set(false);
        assertTrue(f.splitRoutes.error().contains("needs the networks"), f.splitRoutes.error());
        f.splitRoutes.valueProperty().set("10.0.0.0/8, 203.0.113.0/24");
        assertNull(f.splitRoutes.error());
        f.gateway.valueProperty().set("not a host!");
        assertTrue(f.gateway.error().startsWith("Not a host"));
    }

    @Test
    void theDocumentFollowsTheIkev2ProfileSchema() {
        RoadWarriorForm f = new RoadWarriorForm();
        f.gateway.valueProperty().set("vpn.example.org");
        f.identity.valueProperty().set("alice@example.org");
        f.psk.valueProperty().set("correct horse battery staple");
        JsonObject full = f.toConfig();
        assertEquals("alice@example.org", full.get("localId").getAsString());
        assertFalse(full.has("remoteTs"), "a full tunnel asks for everything");
        assertFalse(full.has("remoteId"));
        f.fullTunnelProperty().set(false);
        f.splitRoutes.valueProperty().set("10.0.0.0/8, 203.0.113.0/24");
        f.remoteId.valueProperty().set("vpn.example.org");
        JsonObject split = f.toConfig();
        assertEquals(2, split.getAsJsonArray("remoteTs").size());
        assertEquals("vpn.example.org", split.get("remoteId").getAsString());
    }

    @Test
    void aStoredProfileKeepsItsPskAndItsProposals() {
        JsonObject stored = JsonParser.parseString("{\"gateway\":\"vpn.example.org\",\"localId\":\"alice\","
                + "\"psk\":\"@stored\",\"espProposals\":[\"chacha20poly1305\"],\"remoteTs\":[\"10.0.0.0/8\"]}")
                .getAsJsonObject();
        RoadWarriorForm f = new RoadWarriorForm();
        f.load("home", stored);
        assertEquals("", f.psk.value());
        assertFalse(f.fullTunnelProperty().get());
        assertEquals("10.0.0.0/8", f.splitRoutes.value());
        assertTrue(f.validate(), "an empty PSK keeps the stored one");
        JsonObject c = f.toConfig();
        assertEquals(ControlProtocol.STORED_SECRET, c.get("psk").getAsString());
        assertEquals("chacha20poly1305", c.getAsJsonArray("espProposals").get(0).getAsString());
        assertSame(f.psk, f.fieldFor("config.psk").orElseThrow());
        assertSame(f.splitRoutes, f.fieldFor("config.remoteTs[0]").orElseThrow());
    }

    @Test
    void aCertificateProfileIsEditedWithoutAPsk() {
        JsonObject stored = JsonParser.parseString("{\"gateway\":\"vpn.example.net\",\"auth\":\"certificate\","
                + "\"localId\":\"alice@example.org\",\"cert\":\"-----BEGIN CERTIFICATE-----…\",\"key\":\"@stored\","
                + "\"ca\":\"-----BEGIN CERTIFICATE-----…\"}").getAsJsonObject();
        RoadWarriorForm f = new RoadWarriorForm();
        f.load("office", stored);
        f.keepsStoredPskProperty().set(false); // as for a copy: still no PSK is asked for
        assertTrue(f.validate(), f.psk.error());
        f.remoteId.valueProperty().set("vpn.example.net");
        JsonObject c = f.toConfig();
        assertFalse(c.has("psk"), c.toString());
        assertEquals(ControlProtocol.STORED_SECRET, c.get("key").getAsString());
        assertEquals("certificate", c.get("auth").getAsString());
        assertEquals("vpn.example.net", c.get("remoteId").getAsString());
    }

    @Test
    void hostToHostAsksForTransportModeAndNoNetworks() {
        RoadWarriorForm f = new RoadWarriorForm();
        f.name.valueProperty().set("peer");
        f.gateway.valueProperty().set("198.51.100.130");
        f.identity.valueProperty().set("host-a.example.org");
        f.psk.valueProperty().set("correct horse battery staple");
        f.fullTunnelProperty().set(false);
        assertFalse(f.validate(), "a split road warrior needs networks");
        f.hostToHostProperty().set(true);
        assertTrue(f.validate(), "host to host has no networks to choose");
        JsonObject c = f.toConfig();
        assertEquals("transport", c.get("mode").getAsString());
        assertFalse(c.has("remoteTs"));
        assertTrue(RoadWarriorForm.isHostToHost(c));
        RoadWarriorForm loaded = new RoadWarriorForm();
        loaded.load("peer", c);
        assertTrue(loaded.hostToHostProperty().get());
        loaded.hostToHostProperty().set(false);
        assertFalse(loaded.toConfig().has("mode"), "back to a road warrior: tunnel mode");
    }

    @Test
    void proposalsAreCheckedHereAndEmptyKeepsTheDaemonsDefaults() {
        RoadWarriorForm f = new RoadWarriorForm();
        f.ikeProposals.valueProperty().set("aes256gcm16-prfsha256-curve25519, aes128 sha256");
        assertTrue(f.ikeProposals.error().contains("'aes128 sha256' is not a proposal"), f.ikeProposals.error());
        f.ikeProposals.valueProperty().set("aes256gcm16-prfsha256-curve25519, aes128-sha256-modp2048");
        assertNull(f.ikeProposals.error());
        f.espProposals.valueProperty().set("chacha20poly1305");
        JsonObject c = f.toConfig();
        assertEquals(2, c.getAsJsonArray("ikeProposals").size());
        assertEquals("chacha20poly1305", c.getAsJsonArray("espProposals").get(0).getAsString());
        f.ikeProposals.valueProperty().set("");
        assertFalse(f.toConfig().has("ikeProposals"), "empty: the daemon's default");
        assertSame(f.espProposals, f.fieldFor("config.espProposals[0]").orElseThrow());
    }
}
