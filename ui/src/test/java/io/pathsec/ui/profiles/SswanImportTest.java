package io.pathsec.ui.profiles;

import io.pathsec.engine.control.api.ControlError;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.ui.state.TunnelStateStore;
import io.pathsec.ui.testsupport.DirectWork;
import io.pathsec.ui.testsupport.FakeDaemonLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The .sswan import of the Profiles view: the file is read by the GUI and sent as text with the key. */
class SswanImportTest {
    private final FakeDaemonLink daemon = new FakeDaemonLink();
    private final TunnelStateStore store = new TunnelStateStore();
    private final ProfilesViewModel model = new ProfilesViewModel(daemon, new DirectWork(), store);
    @TempDir
    Path dir;

    @Test
    void theFilesTextAndTheKeyGoToTheDaemonAndTheImportIsOpened() throws Exception {
        Path file = dir.resolve("office.sswan");
        Files.writeString(file, "{\"type\":\"ikev2-psk\",\"remote\":{\"addr\":\"vpn.example.org\"}}");
        model.importSswan(file, "correct horse battery staple");
        var sent = daemon.imported.get(0);
        assertEquals("sswan", sent.format());
        assertEquals(Files.readString(file), sent.content());
        assertEquals("correct horse battery staple", sent.psk());
        assertEquals("imported", store.selectedProfileProperty().get());
        assertEquals("imported", model.editingProperty().get(), "opened in the road-warrior form");
        assertEquals(ProfileKindChoice.ROAD_WARRIOR, model.kindProperty().get());
        assertTrue(model.noticeProperty().get().startsWith("Imported imported from office.sswan."),
                model.noticeProperty().get());
        assertTrue(model.noticeProperty().get().contains("remote.cert ignored"), "the daemon's warnings are shown");
        assertNull(model.formErrorProperty().get());
    }

    @Test
    void withoutAKeyNothingIsSent() throws Exception {
        Path file = dir.resolve("office.sswan");
        Files.writeString(file, "{}");
        model.importSswan(file, "");
        assertTrue(model.formErrorProperty().get().contains("needs the pre-shared key"));
        assertTrue(daemon.imported.isEmpty());
    }

    @Test
    void anUnreadableOrHugeFileAndTheDaemonsRefusalAreSaidInWords() throws Exception {
        model.importSswan(dir.resolve("missing.sswan"), "correct horse battery staple");
        assertTrue(model.formErrorProperty().get().startsWith("Cannot read "), model.formErrorProperty().get());

        Path huge = dir.resolve("video.sswan");
        Files.write(huge, new byte[(int) ProfilesViewModel.MAX_SSWAN_BYTES + 1]);
        model.importSswan(huge, "correct horse battery staple");
        assertTrue(model.formErrorProperty().get().contains("not a .sswan profile"), model.formErrorProperty().get());
        assertTrue(daemon.imported.isEmpty());

        Path eap = dir.resolve("eap.sswan");
        Files.writeString(eap, "{\"type\":\"ikev2-eap\"}");
        daemon.failNext = new ControlException(new ControlError(ErrorCode.INVALID_PROFILE,
                "sswan.type: \"ikev2-eap\" (username/password EAP) is not supported by PathSec yet", "sswan.type"));
        model.importSswan(eap, "correct horse battery staple");
        assertTrue(model.formErrorProperty().get().startsWith("Not imported: sswan.type: \"ikev2-eap\""),
                model.formErrorProperty().get());
        assertTrue(!model.busyProperty().get());
    }
}
