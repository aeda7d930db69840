package io.pathsec.ui.dashboard;

/** One point of the throughput chart: when, and bits per second each way. */
public record RateSample(long at, double sentBitsPerSecond, double receivedBitsPerSecond) {
}
