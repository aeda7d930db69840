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

class GatewayFormTest {
    private static GatewayForm filled() {
        GatewayForm f = new GatewayForm();
        f.name.valueProperty().set("edge");
        f.listen.valueProperty().set("198.51.100.130");
        f.identity.valueProperty().set("vpn.example.org");
        f.psk.valueProperty().set("correct horse battery staple");
        f.pool.valueProperty().set("10.201.0.0/24");
        f.protectedSubnets.valueProperty().set("192.0.2.0/24, 203.0.113.0/24");
        return f;
    }

    @Test
    void eachFieldSaysWhatIsWrongBeforeSaving() {
        GatewayForm f = new GatewayForm();
        assertFalse(f.validate());
        assertTrue(f.pool.error().startsWith("Required"), f.pool.error());
        assertTrue(f.protectedSubnets.error().startsWith("Required"), f.protectedSubnets.error());
        f = filled();
        assertTrue(f.validate());
        f.listen.valueProperty().set("vpn.example.org");
        assertTrue(f.listen.error().startsWith("Not an IP address"), f.listen.error());
        f.listen.valueProperty().set("198.51.100.130");
        f.pool.valueProperty().set("2001:db8::/64");
        assertTrue(f.pool.error().startsWith("Not an IPv4 network"), f.pool.error());
        f.pool.valueProperty().set("10.201.0.0/24");
        f.pool6.valueProperty().set("10.9.0.0/24");
        assertTrue(f.pool6.error().startsWith("Not an IPv6 network"), f.pool6.error());
        f.pool6.valueProperty().set("2001:db8:c::/112");
        assertNull(f.pool6.error());
        f.dns.valueProperty().set("10.2.0.53, ns.example.org");
        assertTrue(f.dns.error().contains("'ns.example.org' is not an IP address"), f.dns.error());
        f.psk.valueProperty().set("short");
        assertTrue(f.psk.error().contains("at least 16"), f.psk.error());
    }

    @Test
    void aHostToHostGatewayNeedsNoPool() {
        GatewayForm f = filled();
        f.pool.valueProperty().set("");
        assertTrue(f.pool.error().startsWith("Required"));
        f.allowTransportModeProperty().set(true);
        assertNull(f.pool.error(), "the pool is revalidated when transport mode is allowed");
        JsonObject c = f.toConfig();
        assertFalse(c.has("pool"));
        assertTrue(c.get("allowTransportMode").getAsBoolean());
    }

    @Test
    void theDocumentFollowsTheGatewayProfileSchemaAndKeepsWhatTheFormDoesNotShow() {
        JsonObject c = filled().toConfig();
        assertEquals("198.51.100.130", c.get("listen").getAsString());
        assertEquals("vpn.example.org", c.get("localId").getAsString());
        assertEquals("10.201.0.0/24", c.get("pool").getAsString());
        assertEquals(2, c.getAsJsonArray("protectedSubnets").size());
        assertFalse(c.has("dns") || c.has("pool6") || c.has("allowTransportMode"));

        JsonObject stored = JsonParser.parseString("{\"listen\":\"198.51.100.130\",\"localId\":\"vpn.example.org\","
                + "\"psk\":\"@stored\",\"pool\":\"10.201.0.0/24\",\"protectedSubnets\":[\"192.0.2.0/24\"],"
                + "\"dns\":[\"192.0.2.53\"],\"espProposals\":[\"chacha20poly1305\"]}").getAsJsonObject();
        GatewayForm f = new GatewayForm();
        f.load("edge", stored);
        assertEquals("", f.psk.value());
        assertEquals("192.0.2.53", f.dns.value());
        assertTrue(f.validate(), "an empty PSK keeps the stored one");
        JsonObject back = f.toConfig();
        assertEquals(ControlProtocol.STORED_SECRET, back.get("psk").getAsString());
        assertEquals("chacha20poly1305", back.getAsJsonArray("espProposals").get(0).getAsString());
        assertSame(f.protectedSubnets, f.fieldFor("config.protectedSubnets[0]").orElseThrow());
        assertSame(f.pool, f.fieldFor("config.pool").orElseThrow());
        assertEquals("chacha20poly1305", f.espProposals.value(), "the stored proposals are shown");
        assertSame(f.ikeProposals, f.fieldFor("config.ikeProposals[1]").orElseThrow());
    }
}
