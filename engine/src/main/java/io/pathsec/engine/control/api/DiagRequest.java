package io.pathsec.engine.control.api;

/**
 * Parameters of {@code diag}.
 *
 * @param captureSeconds when the tunnel keeps no capture ({@code diag.capture}), capture this
 *                       many seconds before answering (0 for none, at most
 *                       {@link DiagBundle#MAX_CAPTURE_SECONDS}); null means 5
 */
public record DiagRequest(String name, Integer captureSeconds) {
}
