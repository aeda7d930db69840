package io.pathsec.ui;

import io.pathsec.ui.shell.PathSecWindow;
import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application: one window on one daemon. Start it through {@link GuiLauncher}. */
public final class PathSecGui extends Application {
    @Override
    public void start(Stage stage) {
        PathSecWindow.open(stage, GuiLauncher.options());
    }
}
