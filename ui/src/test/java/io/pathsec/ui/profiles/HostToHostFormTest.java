package io.pathsec.ui.profiles;

import com.google.gson.JsonObject;
import io.pathsec.ui.state.TunnelStateStore;
import io.pathsec.ui.testsupport.DirectWork;
import io.pathsec.ui.testsupport.FakeDaemonLink;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host-to-host (transport mode) variant of the static-key form. */
class HostToHostFormTest {
    private final StaticKeyForm form = new StaticKeyForm();

    private void fill() {
        fill(form);
    }

    @Test
    void thePolicyIsTheTwoEndpointsAndTheModeTransport() {
        form.hostToHostProperty().set(true);
        fill();
        assertTrue(form.validate(), "no selectors asked for");
        JsonObject c = form.toConfig();
        assertEquals("transport", c.get("mode").getAsString());
        JsonObject policy = c.getAsJsonArray("policies").get(0).getAsJsonObject();
        assertEquals("198.51.100.71", policy.get("local").getAsString());
        assertEquals("198.51.100.72", policy.get("remote").getAsString());
        assertEquals("protect", policy.get("action").getAsString());
        assertTrue(StaticKeyForm.isHostToHost(c), "a saved host-to-host profile opens in this form again");
    }

    @Test
    void aPeerOfTheOtherAddressFamilyIsMarkedAtOnce() {
        form.hostToHostProperty().set(true);
        fill();
        form.peerAddress.valueProperty().set("2001:db8::2");
        assertTrue(form.peerAddress.error().startsWith("Use the same address family"), form.peerAddress.error());
        assertFalse(form.validate());
        form.peerAddress.valueProperty().set("198.51.100.72");
        assertNull(form.peerAddress.error());
    }

    @Test
    void aTunnelModeDocumentOrOneWithNetworksIsNotHostToHost() {
        fill();
        form.localSelector.valueProperty().set("10.77.0.0/24");
        form.remoteSelector.valueProperty().set("10.78.0.0/24");
        assertFalse(StaticKeyForm.isHostToHost(form.toConfig()));
        form.modeProperty().set("transport");
        assertFalse(StaticKeyForm.isHostToHost(form.toConfig()), "transport mode but networks in the policy");
    }

    @Test
    void theProfilesViewOpensAStoredHostToHostProfileInItsForm() {
        FakeDaemonLink daemon = new FakeDaemonLink();
        ProfilesViewModel model = new ProfilesViewModel(daemon, new DirectWork(), new TunnelStateStore());
        model.kindProperty().set(ProfileKindChoice.HOST_TO_HOST);
        fill(model.staticKey());
        model.save();
        assertEquals("peer-b", model.editingProperty().get());
        model.kindProperty().set(ProfileKindChoice.STATIC_KEY);
        model.edit("peer-b");
        assertEquals(ProfileKindChoice.HOST_TO_HOST, model.kindProperty().get());
        assertTrue(model.staticKey().hostToHostProperty().get());
    }

    private static void fill(StaticKeyForm f) {
        StaticKeyFormTest.fillEndpointsAndKeys(f, "peer-b");
    }
}
