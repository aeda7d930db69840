package io.pathsec.engine.transport;

import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * The threads that carry packets (the socket's event loop, the crypto workers, the lanes'
 * delivery threads, a TUN reader) are Netty {@link FastThreadLocalThread}s: Netty 4.2's buffer
 * allocators keep a per-thread cache only for those ({@code io.netty.allocator.useCacheForAllThreads}
 * is false by default). On plain threads every pooled buffer came from the shared arena under its
 * lock, which the five packet threads of a busy tunnel took turns at: four TCP streams carry about
 * a quarter more with the caches (BENCHMARKS.md, "Buffer caches of the packet threads"). A buffer
 * freed by another thread goes back to the cache of the thread that allocated it; the thread's
 * cache is freed when its body returns.
 */
public final class PacketThreads {
    private PacketThreads() {
    }

    /** A daemon packet thread, not yet started. */
    public static Thread newThread(Runnable body, String name) {
        Thread t = new FastThreadLocalThread(body, name);
        t.setDaemon(true);
        return t;
    }
}
