package io.pathsec.engine.control.api;

/** Parameters of every request about one profile: get, delete, connect, disconnect, sa, settings.get. */
public record ProfileName(String name) {
}
