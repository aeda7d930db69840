package io.pathsec.ui.log;

import io.pathsec.engine.control.api.DiagBundle;
import io.pathsec.ui.daemon.BackgroundWork;
import io.pathsec.ui.daemon.DaemonLink;
import io.pathsec.ui.daemon.UserWords;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * "Export diagnostics": asks the daemon for the selected profile's bundle (status, profile
 * without secrets, SAs, recent events, PMTU state, the last outer packets and Wireshark's ESP SA
 * table) and writes it where the user chose, readable by the user only.
 */
public final class DiagnosticsExport {
    private final DaemonLink daemon;
    private final BackgroundWork work;
    private final TunnelStateStore store;
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");

    public DiagnosticsExport(DaemonLink daemon, BackgroundWork work, TunnelStateStore store) {
        this.daemon = daemon;
        this.work = work;
        this.store = store;
    }

    /** What the last export did, in words; null before the first. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** The file name the daemon would suggest, for the save dialog. */
    public String suggestedFileName() {
        String name = store.selectedProfileProperty().get();
        return "pathsec-diag-" + (name == null ? "profile" : name) + ".zip";
    }

    /**
     * Fetches the bundle and writes it to {@code file}. The save dialog already asked before
     * replacing a file, so an existing one is removed first; the new file is created 0600.
     */
    public void export(Path file) {
        String name = store.selectedProfileProperty().get();
        if (name == null) {
            message.set("Select a profile first: the bundle describes one profile's tunnel.");
            return;
        }
        busy.set(true);
        message.set("Collecting diagnostics of " + name + "…");
        work.run(() -> {
            DiagBundle b = daemon.diag(name);
            write(b, file);
            return b;
        }, b -> {
            busy.set(false);
            message.set("Wrote " + file.getFileName() + " (" + b.capturedPackets() + " captured packets)."
                    + (b.containsKeys() ? " It holds the tunnel's keys so Wireshark can decrypt the capture;"
                    + " only you can read it." : ""));
        }, e -> {
            busy.set(false);
            message.set("No diagnostics written: " + (e instanceof UncheckedIOException io
                    ? "cannot write " + file + " (" + io.getCause().getMessage() + ")." : UserWords.of(e).summary()));
        });
    }

    /** Write failures are unchecked, so they are told apart from the daemon's IOExceptions. */
    private static void write(DiagBundle b, Path file) {
        try {
            Files.deleteIfExists(file);
            b.writeTo(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
