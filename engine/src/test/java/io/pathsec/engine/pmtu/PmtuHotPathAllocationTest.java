package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;
import io.pathsec.engine.tun.ChannelTun;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PMTU work the outbound reader does for a packet that fits — the MTU decision, the
 * black-hole detector, the MSS check — allocates nothing (DESIGN.md: no per-packet allocation
 * on the hot path). Measured with the JVM's per-thread allocation counter.
 */
class PmtuHotPathAllocationTest {

    @Test
    void aPacketThatFitsCostsNoAllocation() {
        PmtuState state = new PmtuState("g1", PmtuSettings.defaults(), false, PmtuStateTest.aesGcm256(false, true),
                Clock.systemUTC());
        BlackHoleDetector detector = new BlackHoleDetector(PmtuSettings.defaults());
        ChannelTun tun = new ChannelTun("alloc0", 1500);
        InnerMtuEnforcer enforcer = new InnerMtuEnforcer(tun, new InnerIcmpSource(List.of()));
        ByteBuf full = TestPackets.ipv4Tcp(1438, 1, true, false, 0);
        ByteBuf small = TestPackets.ipv4Tcp(200, 1, true, false, 0);
        try {
            run(state, detector, enforcer, full, small, 0, 20_000); // warm-up: JIT, first-touch
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            run(state, detector, enforcer, full, small, 20_000, 100_000);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 4096, "200,000 packets allocated " + allocated + " bytes");
        } finally {
            full.release();
            small.release();
            enforcer.close();
            tun.close();
        }
    }

    private static void run(PmtuState state, BlackHoleDetector detector, InnerMtuEnforcer enforcer,
                            ByteBuf full, ByteBuf small, int from, int rounds) {
        for (int i = from; i < from + rounds; i++) {
            full.setInt(24, i * 1398); // the next TCP segment each time: new data, never a retransmission
            onePacket(state, detector, enforcer, full);
            onePacket(state, detector, enforcer, small);
        }
    }

    /** What OutboundPath.fitPathMtu does for a packet that fits. */
    private static void onePacket(PmtuState state, BlackHoleDetector detector, InnerMtuEnforcer enforcer, ByteBuf p) {
        int mtu = state.effectiveMtu();
        if (enforcer.decide(p, mtu) != InnerMtuEnforcer.Decision.FITS || detector.observe(p, state) != null) {
            throw new AssertionError("the packet fits");
        }
        enforcer.clampMss(p, mtu);
    }
}
