package io.pathsec.ui.icmp;

import io.pathsec.engine.control.api.ControlError;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.ui.state.TunnelStateStore;
import io.pathsec.ui.testsupport.DirectWork;
import io.pathsec.ui.testsupport.FakeDaemonLink;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IcmpViewModelTest {
    private final FakeDaemonLink daemon = new FakeDaemonLink();
    private final TunnelStateStore store = new TunnelStateStore();
    private final IcmpViewModel model = new IcmpViewModel(daemon, new DirectWork(), store);

    @Test
    void everyOptionOfTheDraftHasAnExplanation() {
        assertEquals(IcmpHandling.values().length, IcmpOption.values().length);
        Arrays.stream(IcmpOption.values()).forEach(o -> assertFalse(o.explanation().isBlank()));
    }

    @Test
    void theChoiceIsLoadedAppliedAndStored() {
        store.selectedProfileProperty().set("office");
        assertEquals(IcmpOption.DISCARD, model.storedProperty().get());
        assertFalse(model.changedBinding().get());
        model.choiceProperty().set(IcmpOption.RELAY_IKE);
        assertTrue(model.changedBinding().get());
        model.apply();
        assertEquals(IcmpHandling.RELAY_IKE, daemon.settings.get("office").icmpHandling());
        assertEquals(IcmpOption.RELAY_IKE, model.storedProperty().get());
        assertFalse(model.changedBinding().get());
        assertTrue(model.messageProperty().get().startsWith("Stored for office: Relay via IKE"));
    }

    @Test
    void aRefusalIsShownAndNothingChanges() {
        store.selectedProfileProperty().set("office");
        model.choiceProperty().set(IcmpOption.IMPLICIT);
        daemon.failNext = new ControlException(new ControlError(ErrorCode.NOT_FOUND, "no profile office"));
        model.apply();
        assertEquals(IcmpOption.DISCARD, model.storedProperty().get());
        assertTrue(model.messageProperty().get().contains("does not exist"));
    }
}
