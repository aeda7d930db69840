package io.pathsec.engine.control.api;

import java.util.List;

/** The answer to {@code status}: every profile, sorted by name. */
public record Status(List<TunnelInfo> tunnels) {
}
