package io.pathsec.ui;

import io.pathsec.engine.control.api.ControlProtocol;
import javafx.application.Application;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the JavaFX application. A class that does not extend {@link Application} must be the
 * entry point when JavaFX sits on the class path rather than the module path: the Java launcher
 * refuses a main class that extends Application without the JavaFX modules.
 */
public final class GuiLauncher {
    private static final AtomicReference<GuiOptions> OPTIONS = new AtomicReference<>();

    private GuiLauncher() {
    }

    /** Blocks until the window closes. */
    public static void launch(GuiOptions options) {
        OPTIONS.set(options);
        Application.launch(PathSecGui.class);
    }

    static GuiOptions options() {
        GuiOptions o = OPTIONS.get();
        return o != null ? o : new GuiOptions(ControlProtocol.DEFAULT_SOCKET, null, null);
    }

    /** {@code --socket PATH}, {@code --screenshot-dir DIR}; the real command line is {@code pathsec gui}. */
    public static void main(String[] args) {
        Path socket = ControlProtocol.DEFAULT_SOCKET;
        Path shots = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--socket" -> socket = Path.of(args[i + 1]);
                case "--screenshot-dir" -> shots = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        launch(new GuiOptions(socket, shots, null));
    }
}
