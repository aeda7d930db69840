package io.pathsec.ui.profiles;

import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ControlProtocol;
import io.pathsec.ui.testsupport.TestProfiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaticKeyFormTest {
    /** Endpoints, SPIs and keys of a valid pair, as both static-key forms need them. */
    static void fillEndpointsAndKeys(StaticKeyForm f, String name) {
        f.name.valueProperty().set(name);
        f.listenAddress.valueProperty().set("198.51.100.71");
        f.peerAddress.valueProperty().set("198.51.100.72");
        f.outSpi.valueProperty().set("0x1000");
        f.inSpi.valueProperty().set("0x2000");
        f.outKey.valueProperty().set(TestProfiles.OUT_KEY);
        f.inKey.valueProperty().set(TestProfiles.IN_KEY);
    }

    private static void fillValid(StaticKeyForm f) {
        fillEndpointsAndKeys(f, "office");
        f.addresses.valueProperty().set("10.77.0.1/32");
        f.routes.valueProperty().set("10.78.0.0/24");
        f.localSelector.valueProperty().set("10.77.0.0/24");
        f.remoteSelector.valueProperty().set("10.78.0.0/24");
    }

    @Test
    void aNewFormHasTheDocumentedDefaultsAndNoComplaints() {
        StaticKeyForm f = new StaticKeyForm();
        assertEquals("pathsec0", f.device.value());
        assertEquals("1400", f.mtu.value());
        assertEquals("4500", f.listenPort.value());
        assertEquals("tunnel", f.modeProperty().get());
        assertEquals("aes256gcm16", f.transformProperty().get());
        f.fields().forEach(field -> assertNull(field.error()));
    }

    @Test
    void eachFieldSaysWhatIsWrongAsItIsTyped() {
        StaticKeyForm f = new StaticKeyForm();
        f.outKey.valueProperty().set("abcd");
        assertTrue(f.outKey.error().contains("36-byte key (72 hex digits)"), f.outKey.error());
        f.outSpi.valueProperty().set("17");
        assertTrue(f.outSpi.error().contains("reserved (RFC 4303 §2.1)"), f.outSpi.error());
        f.mtu.valueProperty().set("100");
        assertTrue(f.mtu.error().contains("576"), f.mtu.error());
        f.peerAddress.valueProperty().set("gateway.example.org");
        assertTrue(f.peerAddress.error().startsWith("Not an IP address"), f.peerAddress.error());
        f.routes.valueProperty().set("10.0.0.0/24, 10.1.0.0/33");
        assertTrue(f.routes.error().contains("10.1.0.0/33"), f.routes.error());
        f.name.valueProperty().set("my office");
        assertTrue(f.name.error().contains("no spaces"), f.name.error());
        f.localSelector.valueProperty().set("10.0.0.1-10.0.0.9");
        assertNull(f.localSelector.error(), "a range is a selector");
    }

    @Test
    void changingTheTransformRejudgesTypedKeys() {
        StaticKeyForm f = new StaticKeyForm();
        f.outKey.valueProperty().set(TestProfiles.OUT_KEY);
        assertNull(f.outKey.error());
        f.transformProperty().set("aes128gcm16");
        assertTrue(f.outKey.error().contains("20-byte"), f.outKey.error());
    }

    @Test
    void validateMarksEveryEmptyRequiredField() {
        StaticKeyForm f = new StaticKeyForm();
        assertFalse(f.validate());
        assertTrue(f.name.error().contains("name"));
        assertTrue(f.outKey.error().startsWith("Required"));
        assertNull(f.device.error(), "the device has a default");
        fillValid(f);
        assertTrue(f.validate());
    }

    @Test
    void theDocumentFollowsTheStaticKeySchema() {
        StaticKeyForm f = new StaticKeyForm();
        fillValid(f);
        JsonObject c = f.toConfig();
        assertEquals("office", c.get("name").getAsString());
        assertEquals(1400, c.getAsJsonObject("tun").get("mtu").getAsInt());
        assertEquals("10.78.0.0/24", c.getAsJsonObject("tun").getAsJsonArray("routes").get(0).getAsString());
        assertEquals(4500, c.getAsJsonObject("peer").get("port").getAsInt());
        assertEquals("out", c.getAsJsonArray("sas").get(0).getAsJsonObject().get("direction").getAsString());
        assertEquals(TestProfiles.IN_KEY, c.getAsJsonArray("sas").get(1).getAsJsonObject().get("key").getAsString());
        assertEquals("protect", c.getAsJsonArray("policies").get(0).getAsJsonObject().get("action").getAsString());
    }

    @Test
    void anEditedProfileKeepsItsStoredKeysAndWhatTheFormDoesNotShow() {
        JsonObject stored = TestProfiles.staticKey("office", "psx0", "198.51.100.71", "198.51.100.72", "10.77.0.0/24",
                "10.78.0.0/24");
        stored.getAsJsonArray("sas").forEach(sa -> sa.getAsJsonObject().addProperty("key", ControlProtocol.STORED_SECRET));
        stored.addProperty("tfcPadding", 64);
        StaticKeyForm f = new StaticKeyForm();
        f.load(stored);
        assertEquals("", f.outKey.value(), "a stored key is never shown");
        assertTrue(f.validate(), "empty keys are fine while editing");
        f.mtu.valueProperty().set("1380");
        JsonObject c = f.toConfig();
        assertEquals(ControlProtocol.STORED_SECRET, c.getAsJsonArray("sas").get(0).getAsJsonObject().get("key").getAsString());
        assertEquals(64, c.get("tfcPadding").getAsInt());
        assertEquals(1380, c.getAsJsonObject("tun").get("mtu").getAsInt());
        f.clear();
        assertFalse(f.keepsStoredKeysProperty().get());
        assertFalse(f.toConfig().has("tfcPadding"), "a new profile starts from nothing");
    }

    @Test
    void theDaemonsFieldPathsLeadToTheInputs() {
        StaticKeyForm f = new StaticKeyForm();
        assertSame(f.inKey, f.fieldFor("config.sas[1].key").orElseThrow());
        assertSame(f.outSpi, f.fieldFor("config.sas[0].spi").orElseThrow());
        assertSame(f.addresses, f.fieldFor("config.tun.addresses[2]").orElseThrow());
        assertSame(f.localSelector, f.fieldFor("config.policies[0].local").orElseThrow());
        assertSame(f.peerPort, f.fieldFor("config.peer.port").orElseThrow());
        assertSame(f.name, f.fieldFor("config.name").orElseThrow());
        assertTrue(f.fieldFor("config.workers").isEmpty());
        assertTrue(f.fieldFor(null).isEmpty());
    }
}
