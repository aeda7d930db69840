package io.pathsec.ui.profiles;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoadWarriorFormTest {
    @Test
    void fieldsAreCheckedAndSplitRoutesOnlyMatterForASplitTunnel() {
        RoadWarriorForm f = new RoadWarriorForm();
        assertFalse(f.validate());
        f.gateway.valueProperty().set("vpn.example.org");
        f.identity.valueProperty().set("alice@example.org");
        f.psk.valueProperty().set("short");
        assertTrue(f.psk.error().contains("at least 20"), f.psk.error());
        f.psk.valueProperty().set("correct horse battery staple");
        assertTrue(f.validate(), "a full tunnel needs no networks");
        f.fullTunnelProperty().set(false);
        assertTrue(f.splitRoutes.error().contains("needs the networks"), f.splitRoutes.error());
        f.splitRoutes.valueProperty().set("10.0.0.0/8, 192.168.10.0/24");
        assertNull(f.splitRoutes.error());
        f.gateway.valueProperty().set("not a host!");
        assertTrue(f.gateway.error().startsWith("Not a host"));
    }
}
