package io.pathsec.engine.control.api;

/**
 * One profile's tunnel in {@code status}, and the answer to {@code connect} and
 * {@code disconnect}.
 *
 * @param device the TUN device while connected, else null
 * @param uptimeMillis time since the tunnel came up, 0 when not connected
 * @param counters null when not connected
 * @param error why the last connect failed (state {@link TunnelState#FAILED}), else null
 */
public record TunnelInfo(String profile, ProfileKind kind, TunnelState state, String device,
                         long uptimeMillis, Counters counters, String error) {
}
