package io.pathsec.engine.control.api;

import java.util.List;

/**
 * Parameters of {@code subscribe}.
 *
 * @param events event type names to receive ({@link EventType#wireName()}); null or empty for all
 * @param profile only events about this profile (log lines without a profile still come); null
 *                for all
 */
public record Subscribe(List<String> events, String profile) {
}
