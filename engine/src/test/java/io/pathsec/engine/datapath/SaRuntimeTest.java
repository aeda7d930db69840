package io.pathsec.engine.datapath;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SaRuntimeTest {

    @Test
    void replayWindowCoversEveryPacketInFlight() {
        int size = SaRuntime.windowSize(0);
        assertTrue(size >= 2 * TunnelLimits.IN_FLIGHT_PER_DIRECTION);
        assertEquals(1, Integer.bitCount(size), "a power of two");
    }

    @Test
    void largerConfiguredWindowIsKeptAndRoundedUp() {
        assertEquals(16384, SaRuntime.windowSize(10_000));
        assertEquals(8192, SaRuntime.windowSize(8192));
    }
}
