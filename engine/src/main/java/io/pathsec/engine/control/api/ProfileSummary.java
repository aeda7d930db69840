package io.pathsec.engine.control.api;

/** One line of {@code profiles.list}. */
public record ProfileSummary(String name, ProfileKind kind, TunnelState state) {
}
