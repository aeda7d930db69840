package io.pathsec.ui.shell;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class AboutBoxTest {

    @Test
    void namesTheVersionAndTheRuntime() {
        String text = AboutBox.text("0.1.0-SNAPSHOT", "17.0.15", "21.0.11");
        assertTrue(text.startsWith("PathSec 0.1.0-SNAPSHOT\n"), text);
        assertTrue(text.contains("Java 17.0.15, JavaFX 21.0.11"), text);
    }
}
