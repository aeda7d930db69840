package io.pathsec.ui.shell;

import io.pathsec.ui.GuiOptions;
import io.pathsec.ui.daemon.ControlClientLink;
import io.pathsec.ui.daemon.DaemonLink;
import io.pathsec.ui.daemon.FxBackgroundWork;
import io.pathsec.ui.daemon.UserMessage;
import io.pathsec.ui.daemon.UserWords;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import java.util.Objects;

/**
 * One PathSec window: reaches the daemon in the background, then shows the main views, or says in
 * words why it could not and offers to try again.
 */
public final class PathSecWindow {
    private final Stage stage;
    private final GuiOptions options;
    private final FxBackgroundWork work = new FxBackgroundWork();
    private final Scene scene;
    private final WindowBounds bounds;
    private DaemonLink link;
    private AppModel model;
    private MainWindowController main;

    private PathSecWindow(Stage stage, GuiOptions options, WindowBounds bounds) {
        this.stage = stage;
        this.options = options;
        this.bounds = bounds;
        this.scene = new Scene(message("Connecting to the PathSec service…", null), WindowBounds.DEFAULT_WIDTH,
                WindowBounds.DEFAULT_HEIGHT);
        scene.getStylesheets().add(Objects.requireNonNull(
                PathSecWindow.class.getResource("/io/pathsec/ui/shell/base.css")).toExternalForm());
    }

    /** Shows the window and starts reaching the daemon; returns at once. */
    public static PathSecWindow open(Stage stage, GuiOptions options) {
        return open(stage, options, WindowBounds.standard());
    }

    public static PathSecWindow open(Stage stage, GuiOptions options, WindowBounds bounds) {
        PathSecWindow w = new PathSecWindow(stage, options, bounds);
        stage.setTitle("PathSec " + options.version());
        stage.setScene(w.scene);
        w.scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F1),
                () -> AboutBox.show(stage, options.version()));
        if (options.screenshotDir() == null) {
            bounds.restore(stage);
        } else {
            // Screenshots have the documented size, whatever the user last chose.
            stage.setWidth(WindowBounds.DEFAULT_WIDTH);
            stage.setHeight(WindowBounds.DEFAULT_HEIGHT);
        }
        stage.setOnHidden(e -> w.close());
        stage.show();
        w.reach();
        return w;
    }

    /** The main window's controller once the daemon answered, else null. */
    public MainWindowController main() {
        return main;
    }

    public AppModel model() {
        return model;
    }

    private void reach() {
        if (link != null) {
            link.close(); // a lost daemon's link: its reader has ended, its requests would fail
            link = null;
        }
        scene.setRoot(message("Connecting to the PathSec service…", null));
        work.run(() -> ControlClientLink.connect(options.socket(), "pathsec-gui " + options.version()),
                this::showMain, e -> showUnavailable(UserWords.of(e)));
    }

    private void showMain(DaemonLink reached) {
        link = reached;
        model = new AppModel(reached, work, Platform::runLater);
        if (options.lab() != null) {
            model.attachLab(options.lab());
        }
        ViewLoader loader = new ViewLoader(model);
        Parent root = loader.load("/io/pathsec/ui/shell/main_window.fxml");
        main = loader.mainWindow();
        if (options.lab() != null) {
            main.dockLab(loader.load("/io/pathsec/ui/lab/lab_panel.fxml"));
        }
        scene.setRoot(root);
        main.installShortcuts();
        main.setOnReconnect(this::reach);
        model.start();
        if (options.screenshotDir() != null && options.lab() != null) {
            new LabScreenshot(stage, main, model, options.screenshotDir()).start();
        } else if (options.screenshotDir() != null) {
            new ScreenshotTour(stage, main, model, options.screenshotDir()).start();
        }
    }

    private void showUnavailable(UserMessage why) {
        Button retry = new Button("_Try again");
        retry.setMnemonicParsing(true);
        retry.setId("retryButton");
        retry.setOnAction(e -> reach());
        scene.setRoot(message(why.summary(), why.detail(), retry));
        retry.requestFocus();
        if (options.screenshotDir() != null) {
            System.err.println("pathsec gui: " + why.summary() + " (" + why.detail() + ")");
            Platform.exit();
        }
    }

    private static Parent message(String text, String detail, javafx.scene.Node... extra) {
        Label title = new Label(text);
        title.getStyleClass().add("view-title");
        title.setWrapText(true);
        title.setId("windowMessage");
        VBox box = new VBox(12, title);
        if (detail != null && !detail.isEmpty()) {
            Label d = new Label(detail);
            d.getStyleClass().add("hint");
            d.setWrapText(true);
            box.getChildren().add(d);
        }
        box.getChildren().addAll(extra);
        box.getStyleClass().add("view");
        box.setMaxWidth(720);
        return new VBox(box);
    }

    private void close() {
        if (options.screenshotDir() == null) {
            bounds.save(stage);
        }
        if (link != null) {
            link.close();
        }
        work.close();
    }
}
