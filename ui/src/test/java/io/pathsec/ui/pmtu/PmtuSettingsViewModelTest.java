package io.pathsec.ui.pmtu;

import io.pathsec.engine.control.api.ControlError;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.PmtuMethod;
import io.pathsec.ui.state.TunnelStateStore;
import io.pathsec.ui.testsupport.DirectWork;
import io.pathsec.ui.testsupport.FakeDaemonLink;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PmtuSettingsViewModelTest {
    private final FakeDaemonLink daemon = new FakeDaemonLink();
    private final TunnelStateStore store = new TunnelStateStore();
    private final PmtuSettingsViewModel model = new PmtuSettingsViewModel(daemon, new DirectWork(), store);

    @Test
    void theStoredSettingsAreShownChangedAndStored() {
        store.selectedProfileProperty().set("office");
        assertTrue(model.methodProperty(PmtuMethod.CLASSIC).get(), "defaults: classic, DPLPMTUD, black holes");
        assertFalse(model.methodProperty(PmtuMethod.TCP_MSS).get());
        assertEquals("1280", model.floor.value());
        model.methodProperty(PmtuMethod.TCP_MSS).set(true);
        model.methodProperty(PmtuMethod.CLASSIC).set(false);
        model.floor.valueProperty().set("1400");
        model.apply();
        assertEquals(List.of(PmtuMethod.DPLPMTUD, PmtuMethod.TCP_MSS, PmtuMethod.BLACK_HOLE_DETECTION),
                daemon.settings.get("office").pmtuMethods());
        assertEquals(1400, daemon.settings.get("office").pmtuFloor());
        assertTrue(model.messageProperty().get().contains("3 of 4 sources, floor 1400"));
    }

    @Test
    void aFloorTooLowIsCaughtHereAndTheDaemonsVerdictLandsAtTheField() {
        store.selectedProfileProperty().set("office");
        model.floor.valueProperty().set("100");
        assertTrue(model.floor.error().contains("576"));
        model.apply();
        assertTrue(daemon.settings.isEmpty(), "nothing sent");
        model.floor.valueProperty().set("600");
        daemon.failNext = new ControlException(new ControlError(ErrorCode.INVALID_PROFILE,
                "must be 576-65535 bytes, got 600", "settings.pmtuFloor"));
        model.apply();
        assertTrue(model.floor.error().contains("got 600"));
    }

    @Test
    void theFixedMtuTimersAndOuterDfAreShownCheckedAndStored() {
        store.selectedProfileProperty().set("office");
        assertEquals("", model.fixedMtu.value(), "off by default");
        assertEquals("", model.raiseTimer.value(), "the daemon's default");
        assertEquals(io.pathsec.engine.control.api.OuterDfBit.SET, model.outerDfProperty().get());

        model.fixedMtu.valueProperty().set("400");
        assertTrue(model.fixedMtu.error().contains("576"), model.fixedMtu.error());
        model.raiseTimer.valueProperty().set("0");
        assertTrue(model.raiseTimer.error().contains("1 and 86400"), model.raiseTimer.error());
        model.probeTimer.valueProperty().set("soon");
        assertTrue(model.probeTimer.error().startsWith("A number of seconds"), model.probeTimer.error());
        model.apply();
        assertTrue(daemon.settings.isEmpty(), "nothing sent while a field is wrong");

        model.fixedMtu.valueProperty().set("1400");
        model.raiseTimer.valueProperty().set("120");
        model.probeTimer.valueProperty().set("5");
        model.outerDfProperty().set(io.pathsec.engine.control.api.OuterDfBit.COPY);
        model.apply();
        var stored = daemon.settings.get("office");
        assertEquals(1400, stored.pmtuFixedMtu());
        assertEquals(120, stored.pmtuRaiseTimerSeconds());
        assertEquals(5, stored.pmtuProbeTimerSeconds());
        assertEquals(io.pathsec.engine.control.api.OuterDfBit.COPY, stored.outerDf());
        assertTrue(model.messageProperty().get().contains("fixed at 1400"), model.messageProperty().get());

        model.fixedMtu.valueProperty().set("");
        model.apply();
        assertEquals(0, daemon.settings.get("office").pmtuFixedMtu(), "an empty fixed MTU turns it off");
        assertEquals(120, daemon.settings.get("office").pmtuRaiseTimerSeconds(), "kept");

        daemon.failNext = new ControlException(new ControlError(ErrorCode.INVALID_PROFILE,
                "must be 1-3600 seconds, got 5", "settings.pmtuProbeTimerSeconds"));
        model.apply();
        assertTrue(model.probeTimer.error().contains("got 5"), "the daemon's verdict lands at its field");
    }
}
