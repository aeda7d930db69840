package io.pathsec.engine.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A packet thread allocates its buffers from its own cache: after the first, an allocate-release
 * pair of the outbound path's TUN read buffer never goes to the shared arena. A plain thread's
 * pairs all do (Netty 4.2 caches for its own threads only), which is why {@link PacketThreads}
 * exists. Each case uses an allocator of its own, so its arena counts are this test's alone.
 */
class PacketThreadsTest {
    /** The outbound path's TUN read buffer: ESP headroom, a 9000-octet inner packet, tailroom. */
    private static final int TUN_READ_BUFFER = 9_100;
    private static final int PAIRS = 200;

    @Test
    void aPacketThreadTakesItsBuffersFromItsOwnCache() throws Exception {
        long fromArena = arenaAllocationsOn(body -> PacketThreads.newThread(body, "packet-thread-test"));
        assertTrue(fromArena <= 1, "allocations served by the shared arena: " + fromArena + " of " + PAIRS);
    }

    @Test
    void aPlainThreadGoesToTheSharedArenaEveryTime() throws Exception {
        long fromArena = arenaAllocationsOn(body -> new Thread(body, "plain-thread-test"));
        assertTrue(fromArena >= PAIRS, "a plain thread had a buffer cache after all (" + fromArena
                + " arena allocations): PacketThreads may no longer be needed");
    }

    @Test
    void theSocketsEventLoopIsAPacketThread() throws Exception {
        PooledByteBufAllocator allocator = new PooledByteBufAllocator(true);
        CompletableFuture<Void> done = new CompletableFuture<>();
        EpollLoop loop = EpollLoop.start("packet-thread-loop-test");
        try {
            loop.execute(() -> {
                allocateAndRelease(allocator);
                done.complete(null);
            });
            done.get(10, TimeUnit.SECONDS);
        } finally {
            loop.close();
        }
        long fromArena = arenaAllocations(allocator);
        assertTrue(fromArena <= 1, "the event loop's allocations served by the shared arena: " + fromArena);
    }

    private static long arenaAllocationsOn(Function<Runnable, Thread> threads) throws Exception {
        PooledByteBufAllocator allocator = new PooledByteBufAllocator(true);
        Thread t = threads.apply(() -> allocateAndRelease(allocator));
        t.start();
        t.join(10_000);
        assertFalse(t.isAlive(), "allocating thread did not finish");
        return arenaAllocations(allocator);
    }

    private static void allocateAndRelease(PooledByteBufAllocator allocator) {
        for (int i = 0; i < PAIRS; i++) {
            ByteBuf buf = allocator.directBuffer(TUN_READ_BUFFER);
            buf.writeByte(i);
            buf.release();
        }
    }

    private static long arenaAllocations(PooledByteBufAllocator allocator) {
        return allocator.metric().directArenas().stream().mapToLong(PoolArenaMetric::numAllocations).sum();
    }
}
