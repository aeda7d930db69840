package io.pathsec.ui.connection;

import io.pathsec.engine.control.api.ControlError;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.engine.control.api.TunnelStateChanged;
import io.pathsec.ui.state.TunnelStateStore;
import io.pathsec.ui.testsupport.DirectWork;
import io.pathsec.ui.testsupport.FakeDaemonLink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionViewModelTest {
    private final FakeDaemonLink daemon = new FakeDaemonLink();
    private final TunnelStateStore store = new TunnelStateStore();
    private ConnectionViewModel model;

    @BeforeEach
    void profile() {
        daemon.profiles.put("office", Profile.of("office", ProfileKind.STATIC_KEY, new com.google.gson.JsonObject()));
        store.reset(daemon.status());
        store.selectedProfileProperty().set("office");
        model = new ConnectionViewModel(daemon, new DirectWork(), store);
    }

    @Test
    void buttonsFollowTheState() {
        assertTrue(model.canConnectBinding().get());
        assertFalse(model.canDisconnectBinding().get());
        model.connect();
        assertEquals(TunnelState.CONNECTED, store.tunnel("office").state());
        assertFalse(model.canConnectBinding().get());
        assertTrue(model.canDisconnectBinding().get());
        store.apply(new TunnelStateChanged("office", 1, TunnelState.DISCONNECTING, TunnelState.CONNECTED, null, null));
        assertTrue(model.busyBinding().get());
        assertEquals("Disconnecting office…", model.progressProperty().get());
        assertFalse(model.canConnectBinding().get() || model.canDisconnectBinding().get());
        model.disconnect();
        assertNull(model.progressProperty().get());
        assertTrue(model.canConnectBinding().get());
    }

    @Test
    void aFailedConnectIsToldInWordsWithTheDetailKept() {
        daemon.failNext = new ControlException(new ControlError(ErrorCode.TUNNEL_FAILED,
                "cannot bind 198.51.100.71:4500: Cannot assign requested address"));
        model.connect();
        assertTrue(model.errorProperty().get().summary().contains("does not have the profile's local (listen) address"),
                model.errorProperty().get().summary());
        assertTrue(model.errorProperty().get().detail().contains("Cannot assign requested address"));
        assertFalse(model.busyBinding().get());
        model.connect();
        assertNull(model.errorProperty().get(), "a new attempt clears the old error");
    }

    @Test
    void theStepsOfAConnectAreTheProgressLine() {
        store.apply(new TunnelStateChanged("office", 1, TunnelState.CONNECTING, TunnelState.DISCONNECTED, null, null));
        model.accept(new io.pathsec.engine.control.api.TunnelProgress("office", 2,
                io.pathsec.engine.control.api.ConnectStep.IKE_SA_INIT, "IKE_SA_INIT to 192.0.2.1:500 (KE CURVE25519)"));
        assertEquals("Agreeing on algorithms and keys (IKE_SA_INIT): IKE_SA_INIT to 192.0.2.1:500 (KE CURVE25519)",
                model.progressProperty().get());
        model.accept(new io.pathsec.engine.control.api.TunnelProgress("lab", 3,
                io.pathsec.engine.control.api.ConnectStep.IKE_AUTH, ""));
        assertTrue(model.progressProperty().get().contains("IKE_SA_INIT"), "another profile's steps are not ours");
        store.apply(new TunnelStateChanged("office", 4, TunnelState.CONNECTED, TunnelState.CONNECTING, "psike0", null));
        assertNull(model.progressProperty().get());
    }

    @Test
    void aFailureReportedByEventShowsToo() {
        store.apply(new TunnelStateChanged("office", 1, TunnelState.FAILED, TunnelState.CONNECTING, null,
                "TUN device psx0 is busy"));
        assertTrue(model.errorProperty().get().summary().contains("already used by another program"));
    }
}
