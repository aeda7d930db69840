package io.pathsec.engine.control.api;

import java.util.List;

/**
 * Parameters of {@code hello}: who is asking and which protocol versions it speaks.
 *
 * @param client a free-form name for the daemon's log, like {@code "pathsec-cli 0.1.0"}
 */
public record Hello(String client, List<Integer> versions) {
}
