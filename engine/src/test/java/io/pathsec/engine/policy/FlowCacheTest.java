package io.pathsec.engine.policy;

import io.pathsec.engine.packet.FlowKey;
import org.junit.jupiter.api.Test;

import static io.pathsec.engine.policy.Flows.fragment;
import static io.pathsec.engine.policy.Flows.icmp;
import static io.pathsec.engine.policy.Flows.tcp;
import static io.pathsec.engine.policy.Flows.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FlowCacheTest {

    @Test
    void hitsOnlyForTheSameKeyDirectionAndEpoch() {
        FlowCache cache = new FlowCache(16);
        FlowKey key = tcp("192.0.2.1", 1000, "203.0.113.1", 80);
        assertEquals(FlowCache.MISS, cache.find(key, true, 1));
        cache.put(1, 7);
        assertEquals(7, cache.find(key, true, 1));
        assertEquals(FlowCache.MISS, cache.find(key, false, 1), "other direction");
        assertEquals(FlowCache.MISS, cache.find(key, true, 2), "newer epoch");
        assertEquals(FlowCache.MISS, cache.find(tcp("192.0.2.1", 1001, "203.0.113.1", 80), true, 1));
        assertEquals(FlowCache.MISS, cache.find(udp("192.0.2.1", 1000, "203.0.113.1", 80), true, 1));
        assertEquals(FlowCache.MISS, cache.find(fragment("192.0.2.1", "203.0.113.1", 6), true, 1));
        assertEquals(FlowCache.MISS, cache.find(icmp("192.0.2.1", "203.0.113.1", 3, 4), true, 1));
        assertEquals(FlowCache.MISS, cache.find(tcp("::c000:201", 1000, "::cb00:7101", 80), true, 1),
                "IPv6 with the same low bytes");
    }

    @Test
    void staysBoundedAndKeepsAnswersRight() {
        FlowCache cache = new FlowCache(8);
        for (int i = 0; i < 100; i++) {
            FlowKey key = tcp("192.0.2.1", i, "203.0.113.1", 80);
            if (cache.find(key, true, 1) == FlowCache.MISS) {
                cache.put(1, i);
            }
        }
        int hits = 0;
        for (int i = 0; i < 100; i++) {
            int found = cache.find(tcp("192.0.2.1", i, "203.0.113.1", 80), true, 1);
            if (found != FlowCache.MISS) {
                assertEquals(i, found);
                hits++;
            }
        }
        assertEquals(true, hits > 0 && hits <= 8, "hits " + hits);
    }

    @Test
    void sizeMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new FlowCache(12));
        assertThrows(IllegalArgumentException.class, () -> new Spd(2));
    }
}
