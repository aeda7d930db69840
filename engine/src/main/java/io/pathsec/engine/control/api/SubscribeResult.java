package io.pathsec.engine.control.api;

import java.util.List;

/**
 * The answer to {@code subscribe}: the event types that will follow on this connection.
 *
 * @param queueBytes bytes of events the daemon buffers for this client before it drops and says so with
 *                   {@link EventsDropped}
 */
public record SubscribeResult(List<String> events, int queueBytes) {
}
