package io.pathsec.ui.daemon;

import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.EventListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Carries the daemon's events from the client's reader thread to the UI thread. The reader must
 * never block (it also reads answers), and JavaFX state may change only on the FX thread, so
 * every event is re-posted and handed to the sinks there, in arrival order.
 */
public final class EventPump implements EventListener {
    private final Executor uiThread;
    private final List<Consumer<ControlEvent>> sinks = new CopyOnWriteArrayList<>();
    private final Consumer<UserMessage> onLost;

    /**
     * @param uiThread {@code Platform::runLater} in the GUI
     * @param onLost told, on the UI thread, when the daemon's stream ends unexpectedly
     */
    public EventPump(Executor uiThread, Consumer<UserMessage> onLost) {
        this.uiThread = uiThread;
        this.onLost = onLost;
    }

    public void addSink(Consumer<ControlEvent> sink) {
        sinks.add(sink);
    }

    @Override
    public void onEvent(ControlEvent event) {
        uiThread.execute(() -> sinks.forEach(s -> s.accept(event)));
    }

    @Override
    public void onClosed(Exception cause) {
        if (cause != null) {
            uiThread.execute(() -> onLost.accept(new UserMessage(
                    "Lost contact with the PathSec service; the figures shown are no longer live.",
                    cause.getMessage())));
        }
    }
}
