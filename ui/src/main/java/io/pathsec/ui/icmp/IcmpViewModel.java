package io.pathsec.ui.icmp;

import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.ui.daemon.BackgroundWork;
import io.pathsec.ui.daemon.DaemonLink;
import io.pathsec.ui.daemon.UserWords;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The ICMP handling choice of the selected profile: what the daemon has stored, what the user
 * picked, and applying the pick with {@code settings.set}.
 */
public final class IcmpViewModel {
    private final DaemonLink daemon;
    private final BackgroundWork work;
    private final TunnelStateStore store;
    private final ObjectProperty<IcmpOption> choice = new SimpleObjectProperty<>(this, "choice");
    private final ReadOnlyObjectWrapper<IcmpOption> stored = new ReadOnlyObjectWrapper<>(this, "stored");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final BooleanBinding changed;

    public IcmpViewModel(DaemonLink daemon, BackgroundWork work, TunnelStateStore store) {
        this.daemon = daemon;
        this.work = work;
        this.store = store;
        changed = Bindings.createBooleanBinding(() -> choice.get() != null && stored.get() != null
                && choice.get() != stored.get(), choice, stored);
        store.selectedProfileProperty().addListener((o, was, now) -> load());
    }

    public ObjectProperty<IcmpOption> choiceProperty() {
        return choice;
    }

    /** What the daemon holds for the selected profile; null before it answered. */
    public ReadOnlyObjectProperty<IcmpOption> storedProperty() {
        return stored.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** True when the choice differs from what is stored: Apply is worth pressing. */
    public BooleanBinding changedBinding() {
        return changed;
    }

    public void load() {
        String name = store.selectedProfileProperty().get();
        if (name == null) {
            stored.set(null);
            choice.set(null);
            message.set("Select a profile to see its ICMP handling.");
            return;
        }
        work.run(() -> daemon.settings(name), s -> {
            if (!name.equals(store.selectedProfileProperty().get())) {
                return; // the user moved on while we asked
            }
            stored.set(IcmpOption.of(s.icmpHandling()));
            choice.set(stored.get());
            message.set("Stored for " + name + ": " + stored.get().title() + ".");
        }, e -> message.set(UserWords.of(e).summary()));
    }

    public void apply() {
        String name = store.selectedProfileProperty().get();
        IcmpOption pick = choice.get();
        if (name == null || pick == null) {
            return;
        }
        message.set("Saving…");
        work.run(() -> daemon.updateSettings(name, new ProfileSettings(pick.handling(), null, null)), s -> {
            stored.set(IcmpOption.of(s.icmpHandling()));
            message.set("Stored for " + name + ": " + stored.get().title() + ". It applies to ICMP errors "
                    + "that match no SA's selectors.");
        }, e -> message.set(UserWords.of(e).summary()));
    }
}
