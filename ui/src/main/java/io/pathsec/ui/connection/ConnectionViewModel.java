package io.pathsec.ui.connection;

import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.ui.daemon.BackgroundWork;
import io.pathsec.ui.daemon.DaemonLink;
import io.pathsec.ui.daemon.UserMessage;
import io.pathsec.ui.daemon.UserWords;
import io.pathsec.ui.state.TunnelSnapshot;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Connect and disconnect for the selected profile, with what a user needs while it happens: a
 * progress line, buttons that are only enabled when they make sense, and failures in plain
 * words (the daemon's reason stays available as the detail).
 */
public final class ConnectionViewModel {
    private final DaemonLink daemon;
    private final BackgroundWork work;
    private final TunnelStateStore store;
    private final ReadOnlyBooleanWrapper requestPending = new ReadOnlyBooleanWrapper(this, "requestPending");
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper(this, "progress");
    private final ReadOnlyObjectWrapper<UserMessage> error = new ReadOnlyObjectWrapper<>(this, "error");
    private final BooleanBinding busy;
    private final BooleanBinding canConnect;
    private final BooleanBinding canDisconnect;

    public ConnectionViewModel(DaemonLink daemon, BackgroundWork work, TunnelStateStore store) {
        this.daemon = daemon;
        this.work = work;
        this.store = store;
        var selected = store.selectedProperty();
        busy = Bindings.createBooleanBinding(() -> requestPending.get()
                || selected.get() != null && selected.get().busy(), requestPending, selected);
        canConnect = Bindings.createBooleanBinding(() -> !busy.get() && selected.get() != null
                && !selected.get().connected(), busy, selected);
        canDisconnect = Bindings.createBooleanBinding(() -> !busy.get() && selected.get() != null
                && selected.get().connected(), busy, selected);
        selected.addListener((o, was, now) -> follow(was, now));
        follow(null, selected.get());
    }

    public BooleanBinding busyBinding() {
        return busy;
    }

    public BooleanBinding canConnectBinding() {
        return canConnect;
    }

    public BooleanBinding canDisconnectBinding() {
        return canDisconnect;
    }

    public ReadOnlyBooleanProperty requestPendingProperty() {
        return requestPending.getReadOnlyProperty();
    }

    /** What is happening now, like "Connecting office…"; null when nothing is. */
    public ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** The last failure of the selected profile, or null. */
    public ReadOnlyObjectProperty<UserMessage> errorProperty() {
        return error.getReadOnlyProperty();
    }

    public void connect() {
        // The daemon also records FAILED with its reason; on failure ask, so every view agrees.
        changeTunnel("Connecting", daemon::connect, true);
    }

    public void disconnect() {
        changeTunnel("Disconnecting", daemon::disconnect, false);
    }

    /** {@link DaemonLink#connect} or {@link DaemonLink#disconnect}. */
    @FunctionalInterface
    private interface TunnelRequest {
        io.pathsec.engine.control.api.TunnelInfo call(String name) throws java.io.IOException,
                io.pathsec.engine.control.api.ControlException;
    }

    /** One connect or disconnect request for the selected profile, its progress and its failure. */
    private void changeTunnel(String verb, TunnelRequest request, boolean refreshOnFailure) {
        String name = store.selectedProfileProperty().get();
        if (name == null) {
            return;
        }
        error.set(null);
        requestPending.set(true);
        progress.set(verb + " " + name + "…");
        work.run(() -> request.call(name), info -> {
            requestPending.set(false);
            store.apply(info);
            follow(null, store.tunnel(name));
        }, e -> {
            requestPending.set(false);
            progress.set(null);
            error.set(UserWords.of(e));
            if (refreshOnFailure) {
                refreshStatus();
            }
        });
    }

    /**
     * Takes every event (on the FX thread): the steps of a connect (IKE_SA_INIT, IKE_AUTH, …)
     * become the progress line while the selected tunnel comes up.
     */
    public void accept(io.pathsec.engine.control.api.ControlEvent event) {
        if (event instanceof io.pathsec.engine.control.api.TunnelProgress p
                && p.profile().equals(store.selectedProfileProperty().get())) {
            TunnelSnapshot t = store.tunnel(p.profile());
            if (requestPending.get() || t != null && t.state() == TunnelState.CONNECTING) {
                progress.set(step(p.step()) + (p.detail() == null || p.detail().isEmpty() ? "" : ": " + p.detail()));
            }
        }
    }

    static String step(io.pathsec.engine.control.api.ConnectStep s) {
        return switch (s) {
            case RESOLVING -> "Finding the gateway";
            case IKE_SA_INIT -> "Agreeing on algorithms and keys (IKE_SA_INIT)";
            case IKE_AUTH -> "Authenticating (IKE_AUTH)";
            case INSTALLING -> "Installing the tunnel";
        };
    }

    private void refreshStatus() {
        work.run(daemon::status, store::reset, e -> { });
    }

    /** Progress and errors follow the tunnel's state, whoever changed it (this GUI, the CLI). */
    private void follow(TunnelSnapshot was, TunnelSnapshot now) {
        if (now == null) {
            progress.set(null);
            return;
        }
        if (was != null && !was.profile().equals(now.profile())) {
            error.set(null);
        }
        if (now.state() == TunnelState.FAILED && now.error() != null) {
            UserMessage m = new UserMessage(UserWords.tunnelFailure(now.error()), now.error());
            // A request failure already said it in words; keep that one unless the state says more.
            if (error.get() == null || !error.get().detail().contains(now.error())) {
                error.set(m);
            }
        }
        if (requestPending.get()) {
            return;
        }
        progress.set(switch (now.state()) {
            case CONNECTING -> "Connecting " + now.profile() + "…";
            case DISCONNECTING -> "Disconnecting " + now.profile() + "…";
            default -> null;
        });
    }
}
