package io.pathsec.ui.log;

import io.pathsec.engine.control.api.EventsDropped;
import io.pathsec.engine.control.api.LogLine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogViewModelTest {
    private final LogViewModel model = new LogViewModel();

    @Test
    void filtersByLevelTextAndProfile() {
        model.accept(new LogLine("office", 1, "INFO", "tunnel", "office up on psx0"));
        model.accept(new LogLine("lab", 2, "WARN", "replay", "replayed packet on SA 0x2000"));
        model.accept(new LogLine(null, 3, "ERROR", "control", "socket gone"));
        assertEquals(3, model.shown().size());
        model.minimumLevelProperty().set(LogViewModel.Level.WARN);
        assertEquals(2, model.shown().size());
        model.textProperty().set("REPLAY");
        assertEquals(1, model.shown().size(), "text matches without case");
        model.textProperty().set("");
        model.minimumLevelProperty().set(LogViewModel.Level.INFO);
        model.selectedProfileProperty().set("office");
        model.onlySelectedProfileProperty().set(true);
        assertEquals(1, model.shown().size());
        assertEquals("office up on psx0", model.shown().get(0).message());
    }

    @Test
    void droppedEventsAreToldAndTheLogIsBounded() {
        model.accept(new EventsDropped(null, 1, 42));
        assertTrue(model.shown().get(0).message().contains("42 events were skipped"));
        for (int i = 0; i < LogViewModel.MAX_LINES + 10; i++) {
            model.add(new LogLine(null, i, "INFO", "x", "line " + i));
        }
        assertEquals(LogViewModel.MAX_LINES, model.all().size());
        assertEquals("line 10", model.all().get(0).message());
    }
}
