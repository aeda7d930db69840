package io.pathsec.ui.profiles;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.function.Function;

/**
 * One text input of a form with its inline message. The rule runs on every edit, so the user
 * reads what is wrong next to the field before pressing Save; the daemon's own verdict
 * ({@link #reject}) lands in the same place and stays until the field changes.
 */
public final class FormField {
    private final StringProperty value = new SimpleStringProperty(this, "value", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final Function<String, String> rule;
    private boolean quiet;

    /** @param rule the problem with a value in a sentence, or null when it is fine */
    public FormField(Function<String, String> rule) {
        this.rule = rule;
        value.addListener((o, was, now) -> {
            if (!quiet) {
                revalidate();
            }
        });
    }

    public StringProperty valueProperty() {
        return value;
    }

    public String value() {
        return value.get() == null ? "" : value.get().trim();
    }

    /** The message shown under the field; null when there is nothing to say. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public String error() {
        return error.get();
    }

    /** Checks the current value and shows the result; true when it is acceptable. */
    public boolean revalidate() {
        error.set(rule.apply(value()));
        return error.get() == null;
    }

    /** Shows a problem found elsewhere (the daemon's INVALID_PROFILE). */
    public void reject(String message) {
        error.set(message);
    }

    /** Checks every field, so each shows its message at once; true when all are acceptable. */
    public static boolean revalidateAll(java.util.Collection<FormField> fields) {
        boolean ok = true;
        for (FormField f : fields) {
            ok &= f.revalidate();
        }
        return ok;
    }

    /**
     * The field that owns a daemon field path (like {@code config.protectedSubnets[1]}): the path
     * itself, else its parents ({@code config.protectedSubnets}, {@code config}) in turn.
     */
    static java.util.Optional<FormField> owner(java.util.Map<String, FormField> byPath, String path) {
        String p = path == null ? "" : path;
        for (int guard = 0; guard < 16 && !p.isEmpty(); guard++) {
            FormField f = byPath.get(p);
            if (f != null) {
                return java.util.Optional.of(f);
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                break;
            }
            p = p.substring(0, cut);
        }
        return java.util.Optional.empty();
    }

    /** Sets a value without judging it: a fresh or loaded form shows no complaints yet. */
    public void reset(String newValue) {
        quiet = true;
        try {
            value.set(newValue == null ? "" : newValue);
        } finally {
            quiet = false;
        }
        error.set(null);
    }
}
