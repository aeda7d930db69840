package io.pathsec.engine.policy;

import io.pathsec.engine.packet.FlowKey;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.pathsec.engine.policy.Flows.fragment;
import static io.pathsec.engine.policy.Flows.tcp;
import static io.pathsec.engine.policy.Flows.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpdTest {
    private static final Selector SITE_TO_SITE = Selector.between(
            AddressRange.parse("192.0.2.0/24"), AddressRange.parse("203.0.113.0/24"));
    private static final Selector IKE = Selector.between(AddressRange.ANY, AddressRange.ANY)
            .withProtocol(FlowKey.PROTO_UDP, PortRange.single(500), PortRange.ANY);
    private static final Selector HOST = Selector.between(
            AddressRange.parse("192.0.2.10"), AddressRange.parse("203.0.113.5"));

    @Test
    void nothingMatchesMeansDiscard() {
        Spd spd = new Spd();
        assertSame(Spd.DEFAULT_DISCARD, spd.lookupOutbound(tcp("192.0.2.1", 1, "203.0.113.1", 2)));
        spd.add(SpdEntry.protect("site", 10, SITE_TO_SITE, "g1"));
        assertSame(Spd.DEFAULT_DISCARD, spd.lookupOutbound(tcp("192.0.2.1", 1, "198.51.100.1", 2)));
        assertSame(Spd.DEFAULT_DISCARD, spd.lookupInbound(tcp("192.0.2.1", 1, "203.0.113.1", 2)),
                "inbound the source must be remote");
        assertEquals(PolicyAction.DISCARD, Spd.DEFAULT_DISCARD.action());
    }

    @Test
    void firstMatchInOrderWins() {
        Spd spd = new Spd();
        spd.add(SpdEntry.protect("site", 20, SITE_TO_SITE, "g1"));
        spd.add(SpdEntry.discard("host", 10, HOST));
        spd.add(SpdEntry.bypass("ike", 20, IKE)); // same priority as "site": after it

        assertEquals(List.of("host", "site", "ike"), spd.entries().stream().map(SpdEntry::name).toList());
        assertEquals("host", spd.lookupOutbound(tcp("192.0.2.10", 1, "203.0.113.5", 2)).name());
        assertEquals("site", spd.lookupOutbound(tcp("192.0.2.11", 1, "203.0.113.5", 2)).name());
        assertEquals("site", spd.lookupOutbound(udp("192.0.2.11", 500, "203.0.113.5", 500)).name());
        assertEquals("ike", spd.lookupOutbound(udp("198.51.100.1", 500, "198.51.100.130", 500)).name());
        assertEquals("site", spd.lookupInbound(tcp("203.0.113.5", 2, "192.0.2.11", 1)).name());
        assertEquals("host", spd.lookupInbound(tcp("203.0.113.5", 2, "192.0.2.10", 1)).name());
    }

    @Test
    void everyChangeInvalidatesCachedDecisions() {
        Spd spd = new Spd();
        FlowKey packet = tcp("192.0.2.10", 1, "203.0.113.5", 2);
        spd.add(SpdEntry.protect("site", 20, SITE_TO_SITE, "g1"));
        long epoch = spd.epoch();
        assertEquals("site", spd.lookupOutbound(packet).name());
        assertEquals("site", spd.lookupOutbound(packet).name()); // now from the cache

        spd.add(SpdEntry.discard("host", 10, HOST));
        assertTrue(spd.epoch() > epoch);
        assertEquals("host", spd.lookupOutbound(packet).name());

        assertTrue(spd.remove("host"));
        assertFalse(spd.remove("host"));
        assertEquals("site", spd.lookupOutbound(packet).name());

        spd.replaceAll(List.of());
        assertSame(Spd.DEFAULT_DISCARD, spd.lookupOutbound(packet));

        spd.replaceAll(List.of(SpdEntry.bypass("all", 0, Selector.ANY)));
        assertEquals("all", spd.lookupOutbound(packet).name());
    }

    @Test
    void directionsAndFragmentsAreCachedApart() {
        Spd spd = new Spd();
        spd.add(SpdEntry.bypass("web-out", 1, Selector.between(AddressRange.ANY, AddressRange.ANY)
                .withProtocol(FlowKey.PROTO_TCP, PortRange.ANY, PortRange.single(80))));
        FlowKey packet = tcp("192.0.2.10", 80, "203.0.113.5", 80);
        assertEquals("web-out", spd.lookupOutbound(packet).name());
        // The reply matches inbound (remote port = its source port 80) but not outbound.
        FlowKey reply = tcp("203.0.113.5", 80, "192.0.2.10", 4000);
        assertEquals("web-out", spd.lookupInbound(reply).name());
        assertSame(Spd.DEFAULT_DISCARD, spd.lookupOutbound(reply));
        assertSame(Spd.DEFAULT_DISCARD, spd.lookupOutbound(fragment("192.0.2.10", "203.0.113.5", 6)));
    }

    @Test
    void rejectsDuplicateNames() {
        Spd spd = new Spd();
        spd.add(SpdEntry.bypass("a", 1, Selector.ANY));
        assertThrows(IllegalArgumentException.class, () -> spd.add(SpdEntry.discard("a", 2, Selector.ANY)));
        assertThrows(IllegalArgumentException.class, () -> spd.replaceAll(List.of(
                SpdEntry.bypass("b", 1, Selector.ANY), SpdEntry.discard("b", 2, Selector.ANY))));
        assertEquals(1, spd.entries().size());
    }

    @Test
    void entryRequiresBindingExactlyForProtect() {
        assertThrows(IllegalArgumentException.class,
                () -> new SpdEntry("p", 1, Selector.ANY, PolicyAction.PROTECT, null));
        assertThrows(IllegalArgumentException.class,
                () -> new SpdEntry("b", 1, Selector.ANY, PolicyAction.BYPASS, "g1"));
        assertNull(SpdEntry.bypass("b", 1, Selector.ANY).saBinding());
    }

    @Test
    void lookupsAllocateNothing() {
        var threads = ManagementFactory.getThreadMXBean();
        if (!(threads instanceof com.sun.management.ThreadMXBean counting)
                || !counting.isThreadAllocatedMemorySupported()) {
            return; // measurement not available on this JVM
        }
        Spd spd = new Spd(64);
        spd.add(SpdEntry.discard("host", 10, HOST));
        spd.add(SpdEntry.protect("site", 20, SITE_TO_SITE, "g1"));
        FlowKey[] packets = new FlowKey[200]; // more flows than slots: hits, misses and evictions
        for (int i = 0; i < packets.length; i++) {
            packets[i] = tcp("192.0.2." + (i % 250), 1000 + i, "203.0.113.5", 443);
        }
        for (int round = 0; round < 3; round++) {
            for (FlowKey p : packets) {
                spd.lookupOutbound(p);
                spd.lookupInbound(p);
            }
        }
        long before = counting.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 100; round++) {
            for (FlowKey p : packets) {
                spd.lookupOutbound(p);
                spd.lookupInbound(p);
            }
        }
        long allocated = counting.getCurrentThreadAllocatedBytes() - before;
        // One object per lookup would be >= 16 bytes each, 640 KB in all; what remains is the
        // JVM's own noise (compilation, the measurement itself), independent of the lookups.
        assertTrue(allocated < 64 * 1024, "40,000 lookups allocated " + allocated + " bytes");
    }

    @Test
    void concurrentLookupsWhileUpdatingSeeOnlyWholeSnapshots() throws Exception {
        Spd spd = new Spd(16);
        SpdEntry site = SpdEntry.protect("site", 20, SITE_TO_SITE, "g1");
        SpdEntry host = SpdEntry.discard("host", 10, HOST);
        spd.add(site);
        FlowKey[] hostFlows = new FlowKey[32];
        for (int i = 0; i < hostFlows.length; i++) {
            hostFlows[i] = tcp("192.0.2.10", 2000 + i, "203.0.113.5", 80);
        }
        int readers = 4;
        int updates = 2000;
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    long lookups = 0;
                    while (!done.get() || lookups < 10_000) {
                        SpdEntry e = spd.lookupOutbound(hostFlows[(int) (lookups++ % hostFlows.length)]);
                        if (e != site && e != host) {
                            throw new AssertionError("saw " + e);
                        }
                    }
                    // After the last update every cache must agree with the final SPD.
                    for (FlowKey f : hostFlows) {
                        if (spd.lookupOutbound(f) != site) {
                            throw new AssertionError("stale cache entry for " + f);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            threads.add(t);
        }
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            start.countDown();
            for (int i = 0; i < updates; i++) {
                if (i % 2 == 0) {
                    spd.add(host);
                } else {
                    spd.remove("host");
                }
            }
            done.set(true);
            for (Thread t : threads) {
                t.join();
            }
        });
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(2 + updates, spd.epoch()); // initial 1, then add(site)
    }
}
