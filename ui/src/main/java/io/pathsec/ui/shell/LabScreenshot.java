package io.pathsec.ui.shell;

import io.pathsec.ui.lab.LabPanelViewModel;
import io.pathsec.ui.state.TunnelSnapshot;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.nio.file.Path;

/**
 * The lab window's picture for the documentation ({@code pathsec lab --screenshot-dir DIR}):
 * starts a transfer through the lab panel, lowers the path MTU to 1400 behind a black hole, and
 * photographs the Path MTU view with the panel once the tunnel has noticed, to {@code lab.png}.
 * Every wait is bounded; without a detection it photographs what there is.
 */
final class LabScreenshot {
    /** Time for the tunnel to recover after the detection, so the chart shows the way back up. */
    private static final Duration RECOVERY = Duration.seconds(6);

    private final Stage stage;
    private final MainWindowController main;
    private final AppModel model;
    private final Path dir;

    LabScreenshot(Stage stage, MainWindowController main, AppModel model, Path dir) {
        this.stage = stage;
        this.main = main;
        this.model = model;
        this.dir = dir;
    }

    void start() {
        LabPanelViewModel lab = model.lab();
        main.select(View.PMTU);
        ScreenshotTour.waitFor(() -> {
            TunnelSnapshot t = model.store().selectedProperty().get();
            return t != null && t.connected() && lab.settingsProperty().get() != null;
        }, () -> {
            lab.toggleTransfer();
            ScreenshotTour.waitFor(() -> lab.transferProperty().get().bytesSent() > 0, () -> {
                // The black hole first: lowered first, the MTU would be told by ICMP, not found out.
                lab.setBlackHole(true);
                ScreenshotTour.waitFor(() -> lab.settingsProperty().get().blackHole(), () -> {
                    lab.setPathMtu(1400);
                    ScreenshotTour.waitFor(this::hasBanner, () -> ScreenshotTour.after(RECOVERY, () -> {
                        SceneSnapshot.write(stage.getScene(), dir, "lab");
                        Platform.exit();
                    }));
                });
            });
        });
    }

    private boolean hasBanner() {
        String banner = model.pmtu().bannerProperty().get();
        return banner != null && !banner.isEmpty();
    }
}
