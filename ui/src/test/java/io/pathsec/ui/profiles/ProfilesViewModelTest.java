package io.pathsec.ui.profiles;

import io.pathsec.engine.control.api.ControlError;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.ui.testsupport.DirectWork;
import io.pathsec.ui.testsupport.FakeDaemonLink;
import io.pathsec.ui.testsupport.TestProfiles;
import io.pathsec.ui.state.TunnelStateStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfilesViewModelTest {
    private final FakeDaemonLink daemon = new FakeDaemonLink();
    private final TunnelStateStore store = new TunnelStateStore();
    private final ProfilesViewModel model = new ProfilesViewModel(daemon, new DirectWork(), store);

    private void fill(StaticKeyForm f) {
        f.name.valueProperty().set("office");
        f.listenAddress.valueProperty().set("198.51.100.71");
        f.peerAddress.valueProperty().set("198.51.100.72");
        f.outSpi.valueProperty().set("0x1000");
        f.inSpi.valueProperty().set("0x2000");
        f.outKey.valueProperty().set(TestProfiles.OUT_KEY);
        f.inKey.valueProperty().set(TestProfiles.IN_KEY);
        f.localSelector.valueProperty().set("10.77.0.0/24");
        f.remoteSelector.valueProperty().set("10.78.0.0/24");
    }

    @Test
    void anInvalidFormNeverReachesTheDaemon() {
        model.newProfile();
        model.save();
        assertFalse(daemon.calls.stream().anyMatch(c -> c.startsWith("profiles.put")));
        assertTrue(model.formErrorProperty().get().contains("need attention"));
    }

    @Test
    void aSavedProfileIsListedSelectedAndReloadedForEditing() {
        model.newProfile();
        fill(model.staticKey());
        model.save();
        assertEquals("office", daemon.profiles.get("office").name());
        assertEquals(1, model.profiles().size());
        assertEquals("office", store.selectedProfileProperty().get());
        assertEquals("office", model.editingProperty().get());
        assertEquals("Created office.", model.noticeProperty().get());
        assertNull(model.formErrorProperty().get());
    }

    @Test
    void theDaemonsRejectionLandsAtTheField() {
        model.newProfile();
        fill(model.staticKey());
        daemon.failNext = new ControlException(new ControlError(ErrorCode.INVALID_PROFILE,
                "in transport mode a protect policy's local must be 198.51.100.71 (listen.address)",
                "config.policies[0].local"));
        model.save();
        assertTrue(model.staticKey().localSelector.error().startsWith("In transport mode"),
                model.staticKey().localSelector.error());
        assertTrue(model.formErrorProperty().get().contains("marked field"));
        model.staticKey().localSelector.valueProperty().set("198.51.100.71");
        assertNull(model.staticKey().localSelector.error(), "editing the field replaces the daemon's verdict");
    }

    @Test
    void aRejectionWithoutAKnownFieldIsShownAboveTheForm() {
        model.newProfile();
        fill(model.staticKey());
        daemon.failNext = new ControlException(new ControlError(ErrorCode.ALREADY_EXISTS, "profile office exists"));
        model.save();
        assertTrue(model.formErrorProperty().get().contains("already exists"));
    }

    @Test
    void roadWarriorProfilesAreStoredAsIkev2Psk() {
        model.kindProperty().set(ProfileKindChoice.ROAD_WARRIOR);
        model.save();
        assertTrue(model.formErrorProperty().get().contains("need attention"));
        assertTrue(model.roadWarrior().gateway.error() != null);
        model.roadWarrior().name.valueProperty().set("home");
        model.roadWarrior().gateway.valueProperty().set("vpn.example.org");
        model.roadWarrior().identity.valueProperty().set("alice");
        model.roadWarrior().psk.valueProperty().set("a pre-shared key long enough");
        model.save();
        assertEquals(ProfileKind.IKEV2_PSK, daemon.profiles.get("home").kind());
        assertEquals(ProfileKindChoice.ROAD_WARRIOR, model.kindProperty().get(), "reloaded in its own form");
        assertEquals("", model.roadWarrior().psk.value(), "the stored PSK is not shown back");
        assertTrue(model.roadWarrior().keepsStoredPskProperty().get());
    }

    @Test
    void aDuplicateIsANewProfileThatNeedsItsKeysAgain() {
        daemon.profiles.put("lab", Profile.of("lab", ProfileKind.STATIC_KEY,
                TestProfiles.staticKey("lab", "psx1", "198.51.100.71", "198.51.100.72", "10.77.0.0/24", "10.78.0.0/24")));
        daemon.profiles.put("lab-copy", Profile.of("lab-copy", ProfileKind.STATIC_KEY,
                TestProfiles.staticKey("lab-copy", "psx2", "198.51.100.71", "198.51.100.73", "10.77.0.0/24", "10.79.0.0/24")));
        model.refresh();
        model.duplicate("lab");
        assertNull(model.editingProperty().get());
        assertEquals("lab-copy-2", model.staticKey().name.value(), "a free name");
        assertEquals("198.51.100.72", model.staticKey().peerAddress.value());
        assertFalse(model.staticKey().validate(), "keys must be typed again");
        assertTrue(model.staticKey().outKey.error().startsWith("Required"));
        assertTrue(model.noticeProperty().get().contains("Enter the keys again"));
    }

    @Test
    void deleteForgetsTheProfileEverywhere() {
        daemon.profiles.put("lab", Profile.of("lab", ProfileKind.STATIC_KEY,
                TestProfiles.staticKey("lab", "psx1", "198.51.100.71", "198.51.100.72", "10.77.0.0/24", "10.78.0.0/24")));
        model.refresh();
        assertEquals("lab", store.selectedProfileProperty().get());
        model.delete("lab");
        assertTrue(model.profiles().isEmpty());
        assertNull(store.selectedProfileProperty().get());
        assertTrue(store.tunnels().isEmpty());
    }

    @Test
    void aGatewayProfileIsSavedAsIkev2GatewayAndTheDaemonsVerdictLandsOnItsField() {
        model.newProfile();
        model.kindProperty().set(ProfileKindChoice.GATEWAY);
        GatewayForm g = model.gateway();
        g.name.valueProperty().set("edge");
        g.listen.valueProperty().set("198.51.100.130");
        g.identity.valueProperty().set("vpn.example.org");
        g.psk.valueProperty().set("correct horse battery staple");
        g.pool.valueProperty().set("10.201.0.0/24");
        g.protectedSubnets.valueProperty().set("192.0.2.0/24");
        daemon.failNext = new io.pathsec.engine.control.api.ControlException(
                new io.pathsec.engine.control.api.ControlError(io.pathsec.engine.control.api.ErrorCode.INVALID_PROFILE,
                        "config.protectedSubnets[0]: overlaps the pool", "config.protectedSubnets[0]"));
        model.save();
        assertEquals("Config.protectedSubnets[0]: overlaps the pool", g.protectedSubnets.error());
        model.save();
        assertEquals(io.pathsec.engine.control.api.ProfileKind.IKEV2_GATEWAY, daemon.profiles.get("edge").kind());
        assertEquals("10.201.0.0/24", daemon.profiles.get("edge").config().get("pool").getAsString());
    }
}
