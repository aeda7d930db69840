package io.pathsec.engine.control.api;

/**
 * Receives the events of a subscription, on the client's reader thread: an implementation that
 * blocks holds up responses on the same connection, so a GUI re-posts to its own thread.
 */
public interface EventListener {
    void onEvent(ControlEvent event);

    /** The connection ended; null cause when the client itself closed it. */
    default void onClosed(Exception cause) {
    }
}
