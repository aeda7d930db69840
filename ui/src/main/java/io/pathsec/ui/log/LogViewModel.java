package io.pathsec.ui.log;

import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.EventsDropped;
import io.pathsec.engine.control.api.LogLine;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The daemon's log as it streams in, filtered by level, text and profile. Bounded, so a chatty
 * daemon cannot grow the GUI without limit.
 */
public final class LogViewModel {
    static final int MAX_LINES = 5000;

    /** The least severe level shown. */
    public enum Level {
        INFO, WARN, ERROR;

        static int rank(String level) {
            try {
                return valueOf(level.toUpperCase(Locale.ROOT)).ordinal();
            } catch (IllegalArgumentException | NullPointerException e) {
                return INFO.ordinal(); // an unknown level is never hidden
            }
        }
    }

    private final ObservableList<LogLine> lines = FXCollections.observableArrayList();
    private final FilteredList<LogLine> shown = new FilteredList<>(lines);
    /** Kept, not made per call: the unmodifiable wrapper hears {@code lines} weakly (see TunnelStateStore). */
    private final ObservableList<LogLine> readOnlyLines = FXCollections.unmodifiableObservableList(lines);
    private final ObjectProperty<Level> minimumLevel = new SimpleObjectProperty<>(this, "minimumLevel", Level.INFO);
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final BooleanProperty onlySelectedProfile = new SimpleBooleanProperty(this, "onlySelectedProfile");
    private final ObjectProperty<String> selectedProfile = new SimpleObjectProperty<>(this, "selectedProfile");

    public LogViewModel() {
        for (var p : List.of(minimumLevel, text, onlySelectedProfile, selectedProfile)) {
            p.addListener((o, was, now) -> shown.setPredicate(filter()));
        }
        shown.setPredicate(filter());
    }

    public ObservableList<LogLine> shown() {
        return shown;
    }

    public ObservableList<LogLine> all() {
        return readOnlyLines;
    }

    public ObjectProperty<Level> minimumLevelProperty() {
        return minimumLevel;
    }

    public StringProperty textProperty() {
        return text;
    }

    public BooleanProperty onlySelectedProfileProperty() {
        return onlySelectedProfile;
    }

    /** Bound to the store's selection by whoever wires the views. */
    public ObjectProperty<String> selectedProfileProperty() {
        return selectedProfile;
    }

    public void accept(ControlEvent event) {
        if (event instanceof LogLine l) {
            add(l);
        } else if (event instanceof EventsDropped d) {
            add(new LogLine(d.profile(), d.at(), "WARN", "pathsec-gui",
                    "This window fell behind the daemon; " + d.count() + " events were skipped."));
        }
    }

    public void add(LogLine line) {
        lines.add(line);
        if (lines.size() > MAX_LINES) {
            lines.remove(0, lines.size() - MAX_LINES);
        }
    }

    public void clear() {
        lines.clear();
    }

    private Predicate<LogLine> filter() {
        int min = minimumLevel.get() == null ? 0 : minimumLevel.get().ordinal();
        String needle = text.get() == null ? "" : text.get().trim().toLowerCase(Locale.ROOT);
        String profile = onlySelectedProfile.get() ? selectedProfile.get() : null;
        return l -> Level.rank(l.level()) >= min
                && (needle.isEmpty() || contains(l.message(), needle) || contains(l.logger(), needle)
                || contains(l.profile(), needle))
                && (profile == null || profile.equals(l.profile()));
    }

    private static boolean contains(String haystack, String needle) {
        return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(needle);
    }
}
