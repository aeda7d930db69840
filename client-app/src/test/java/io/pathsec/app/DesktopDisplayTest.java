package io.pathsec.app;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where `pathsec lab` opens a window and where it falls back to the terminal view. */
class DesktopDisplayTest {
    @Test
    void anX11OrWaylandDisplayOrMonocleMeansAWindow() {
        assertTrue(DesktopDisplay.present(Map.of("DISPLAY", ":0"), null));
        assertTrue(DesktopDisplay.present(Map.of("WAYLAND_DISPLAY", "wayland-0"), null));
        assertTrue(DesktopDisplay.present(Map.of(), "Monocle"));
    }

    @Test
    void nothingMeansTheTerminal() {
        assertFalse(DesktopDisplay.present(Map.of("TERM", "xterm"), null));
        assertFalse(DesktopDisplay.present(Map.of(), "gtk"));
    }
}
