package io.pathsec.engine.control.api;

/** Parameters of {@code diag.capture}, and its answer ({@code packets} kept so far). */
public record DiagCapture(String name, boolean enabled, int packets) {
}
