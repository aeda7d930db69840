package io.pathsec.ui.log;

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
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiagnosticsExportTest {
    private final FakeDaemonLink daemon = new FakeDaemonLink();
    private final TunnelStateStore store = new TunnelStateStore();
    private final DiagnosticsExport model = new DiagnosticsExport(daemon, new DirectWork(), store);
    @TempDir
    Path dir;

    @Test
    void theBundleIsWrittenOwnerOnlyReplacingTheFileTheUserConfirmed() throws Exception {
        store.selectedProfileProperty().set("office");
        assertEquals("pathsec-diag-office.zip", model.suggestedFileName());
        Path file = dir.resolve("bundle.zip");
        Files.writeString(file, "an older file the save dialog asked to replace");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        daemon.diagZip = new byte[]{'P', 'K', 3, 4, 42};
        model.export(file);
        assertArrayEquals(daemon.diagZip, Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(model.messageProperty().get().startsWith("Wrote bundle.zip (3 captured packets)."),
                model.messageProperty().get());
        assertTrue(model.messageProperty().get().contains("holds the tunnel's keys"));
        assertFalse(model.busyProperty().get());
    }

    @Test
    void withoutAProfileNothingIsAsked() {
        model.export(dir.resolve("x.zip"));
        assertTrue(model.messageProperty().get().startsWith("Select a profile first"));
        assertTrue(daemon.calls.isEmpty());
    }

    @Test
    void theDaemonsRefusalAndAnUnwritableFolderAreToldApart() {
        store.selectedProfileProperty().set("office");
        daemon.failNext = new ControlException(new ControlError(ErrorCode.NOT_FOUND, "no profile office"));
        model.export(dir.resolve("a.zip"));
        assertTrue(model.messageProperty().get().startsWith("No diagnostics written: That profile does not exist"),
                model.messageProperty().get());
        assertFalse(Files.exists(dir.resolve("a.zip")));

        model.export(dir.resolve("missing-folder/b.zip"));
        assertTrue(model.messageProperty().get().startsWith("No diagnostics written: cannot write "),
                model.messageProperty().get());
        assertFalse(model.busyProperty().get());
    }
}
