package io.pathsec.engine.control.api;

/**
 * The answer to {@code profiles.delete}.
 *
 * @param wasConnected the tunnel was up and has been disconnected first
 */
public record DeleteProfileResult(String name, boolean wasConnected) {
}
