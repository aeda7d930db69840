package io.pathsec.engine.control;

import com.google.gson.JsonParser;
import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.PmtuMethod;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.pmtu.tcpmss.TcpMssSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A profile's {@code tcp-mss} method and {@code tcpMssPort} reach the tunnel's TCP-MSS settings. */
class TcpMssProfileSettingsTest {

    @Test
    void methodListAndPortChooseTheTcpMssSettings() throws Exception {
        assertFalse(IkeConnect.tcpMss(ProfileSettings.DEFAULTS).enabled(), "off by default");
        ProfileSettings on = ProfileSettings.DEFAULTS.merge(SettingsRules.decode(JsonParser.parseString(
                "{\"pmtuMethods\":[\"classic\",\"tcp-mss\"],\"tcpMssPort\":14500}"), "settings"));
        TcpMssSettings s = IkeConnect.tcpMss(on);
        assertTrue(s.enabled());
        assertEquals(14500, s.port());
        assertEquals(TcpMssSettings.DEFAULT_PORT, IkeConnect.tcpMss(new ProfileSettings(IcmpHandling.DISCARD,
                List.of(PmtuMethod.TCP_MSS), 1280)).port());
        assertEquals(14500, on.merge(new ProfileSettings(null, null, 1300)).tcpMssPort(), "a merge keeps the port");
    }

    @Test
    void portOutsideTcpRangeIsRefusedNamingTheField() throws Exception {
        ProfileSettings bad = SettingsRules.decode(JsonParser.parseString("{\"tcpMssPort\":70000}"), "settings");
        ControlFailure f = assertThrows(ControlFailure.class, () -> SettingsRules.check(bad));
        assertTrue(f.getMessage().contains("tcpMssPort"), f.getMessage());
    }
}
