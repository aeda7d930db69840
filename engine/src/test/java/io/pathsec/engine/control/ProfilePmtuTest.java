package io.pathsec.engine.control;

import com.google.gson.JsonParser;
import io.pathsec.engine.control.api.OuterDfBit;
import io.pathsec.engine.control.api.PmtuMethod;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.pmtu.OuterDf;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A profile's path MTU settings: decoded and checked by the daemon, then handed to the engine. */
class ProfilePmtuTest {

    private static ProfileSettings decode(String json) throws ControlFailure {
        ProfileSettings s = SettingsRules.decode(JsonParser.parseString(json), "settings");
        SettingsRules.check(s);
        return s;
    }

    @Test
    void everyPathMtuSettingReachesTheEngine() throws Exception {
        ProfileSettings s = decode("{\"pmtuMethods\":[\"classic\",\"dplpmtud\"],\"pmtuFloor\":1000,"
                + "\"pmtuFixedMtu\":0,\"pmtuRaiseTimerSeconds\":30,\"pmtuProbeTimerSeconds\":2,\"outerDf\":\"copy\"}");
        assertEquals(OuterDfBit.COPY, s.outerDf());
        PmtuSettings e = ProfilePmtu.engineSettings(ProfileSettings.DEFAULTS.merge(s));
        assertEquals(Set.of(PmtuSource.CLASSIC_ICMP, PmtuSource.DPLPMTUD), e.methods());
        assertEquals(1000, e.floorIpv4());
        assertEquals(1280, e.floorIpv6(), "IPv6 never below its 1280 minimum");
        assertEquals(1200, e.baseIpv4());
        assertEquals(0, e.fixedMtu());
        assertEquals(Duration.ofSeconds(30), e.raiseTimer());
        assertEquals(Duration.ofSeconds(2), e.dplpmtud().probeTimer());
        assertEquals(OuterDf.COPY, e.outerDf());
    }

    @Test
    void whatAProfileLeavesOpenKeepsTheEngineDefaults() {
        PmtuSettings e = ProfilePmtu.engineSettings(new ProfileSettings(null,
                List.of(PmtuMethod.CLASSIC, PmtuMethod.DPLPMTUD, PmtuMethod.TCP_MSS, PmtuMethod.BLACK_HOLE_DETECTION),
                null));
        PmtuSettings d = PmtuSettings.defaults();
        assertEquals(d, e);
        assertEquals(1380, ProfilePmtu.engineSettings(new ProfileSettings(null, null, null, null, 1380, null, null,
                null)).fixedMtu());
    }

    @Test
    void impossibleValuesAreRefusedWithTheFieldNamed() {
        for (String bad : List.of("{\"pmtuProbeTimerSeconds\":0}", "{\"pmtuFixedMtu\":100}",
                "{\"pmtuRaiseTimerSeconds\":-5}", "{\"outerDf\":\"sometimes\"}", "{\"pmtuTimer\":5}")) {
            ControlFailure f = assertThrows(ControlFailure.class, () -> decode(bad), bad);
            assertTrue(f.getMessage().contains("settings."), f.getMessage());
        }
    }
}
