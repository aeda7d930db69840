package io.pathsec.ui.lab;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The line under one lab control: what is in force, in words, or why the last change failed.
 * A failure stays until the next change of that control succeeds.
 */
public final class ControlStatus {
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", "");
    private final ReadOnlyBooleanWrapper failed = new ReadOnlyBooleanWrapper(this, "failed");

    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }

    /** Shows the state, unless a failure is being shown. */
    void show(String state) {
        if (!failed.get()) {
            text.set(state);
        }
    }

    void succeeded(String state) {
        failed.set(false);
        text.set(state);
    }

    void failed(String what, Throwable cause) {
        failed.set(true);
        text.set(what + ": " + reason(cause));
    }

    /** The first line of the cause: commands put their stderr after it. */
    static String reason(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return m.lines().findFirst().orElse(m).strip();
    }
}
