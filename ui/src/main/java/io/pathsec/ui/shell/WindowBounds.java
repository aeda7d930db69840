package io.pathsec.ui.shell;

import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.util.prefs.Preferences;

/**
 * Remembers the window's size and place between runs (java.util.prefs), and never restores it
 * off-screen or smaller than a readable minimum, since screens come and go between runs.
 */
public final class WindowBounds {
    public static final double DEFAULT_WIDTH = 1280;
    public static final double DEFAULT_HEIGHT = 800;
    static final double MIN_WIDTH = 1000;
    static final double MIN_HEIGHT = 640;

    private final Preferences prefs;

    public WindowBounds(Preferences prefs) {
        this.prefs = prefs;
    }

    public static WindowBounds standard() {
        return new WindowBounds(Preferences.userRoot().node("io/pathsec/ui/window"));
    }

    public void restore(Stage stage) {
        stage.setMinWidth(MIN_WIDTH);
        stage.setMinHeight(MIN_HEIGHT);
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double w = clamp(prefs.getDouble("width", DEFAULT_WIDTH), MIN_WIDTH, Math.max(MIN_WIDTH, screen.getWidth()));
        double h = clamp(prefs.getDouble("height", DEFAULT_HEIGHT), MIN_HEIGHT, Math.max(MIN_HEIGHT, screen.getHeight()));
        stage.setWidth(w);
        stage.setHeight(h);
        double x = prefs.getDouble("x", Double.NaN);
        double y = prefs.getDouble("y", Double.NaN);
        boolean onScreen = !Double.isNaN(x) && !Double.isNaN(y) && Screen.getScreensForRectangle(x, y, w, h).size() > 0;
        if (onScreen) {
            stage.setX(x);
            stage.setY(y);
        } else {
            stage.centerOnScreen();
        }
        stage.setMaximized(prefs.getBoolean("maximized", false));
    }

    /** Called when the window closes. A maximized window keeps its normal size for next time. */
    public void save(Stage stage) {
        prefs.putBoolean("maximized", stage.isMaximized());
        if (!stage.isMaximized()) {
            prefs.putDouble("width", stage.getWidth());
            prefs.putDouble("height", stage.getHeight());
            prefs.putDouble("x", stage.getX());
            prefs.putDouble("y", stage.getY());
        }
        try {
            prefs.flush();
        } catch (java.util.prefs.BackingStoreException e) {
            // Losing the window size is not worth bothering the user about.
        }
    }

    private static double clamp(double v, double min, double max) {
        return Double.isNaN(v) ? min : Math.max(min, Math.min(max, v));
    }
}
