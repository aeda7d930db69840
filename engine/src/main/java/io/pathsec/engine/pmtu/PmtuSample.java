package io.pathsec.engine.pmtu;

import java.time.Instant;

/**
 * One observation of the path MTU: its source, the outer packet size it stands for, and when.
 *
 * @param applied whether it changed the PLPMTU (an ICMP report above the current value, or any
 *                report under a fixed override, is recorded but not applied)
 */
public record PmtuSample(PmtuSource source, int value, Instant at, boolean applied) {
}
