package io.pathsec.engine.control.api;

/**
 * A connect moved on to {@code step}. Sent between the {@code connecting} and the
 * {@code connected} (or {@code failed}) {@link TunnelStateChanged}; a retried step (a COOKIE or
 * INVALID_KE_PAYLOAD answer, RFC 7296 §2.6, §1.2) is sent again.
 *
 * @param detail what happens in words, e.g. {@code "IKE_SA_INIT to 192.0.2.1:500 (KE CURVE25519)"}
 */
public record TunnelProgress(String profile, long at, ConnectStep step, String detail) implements ControlEvent {
    @Override
    public EventType type() {
        return EventType.TUNNEL_PROGRESS;
    }
}
