package io.pathsec.engine.control.api;

/** Traffic per second over the last counter interval. */
public record Rates(double sentPacketsPerSecond, double sentBitsPerSecond, double receivedPacketsPerSecond,
                    double receivedBitsPerSecond) {
    public static final Rates ZERO = new Rates(0, 0, 0, 0);
}
