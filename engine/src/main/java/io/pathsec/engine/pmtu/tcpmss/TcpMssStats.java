package io.pathsec.engine.pmtu.tcpmss;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one tunnel's or gateway's TCP-MSS exchanges: completed, and refused or given up by
 * reason (a hijacked or unauthenticated connection shows as BAD_MAC, UNKNOWN_IKE_SA or
 * UNEXPECTED_PEER). Safe from any thread.
 */
public final class TcpMssStats {
    private final LongAdder measured = new LongAdder();
    private final AtomicLongArray rejected = new AtomicLongArray(TcpMssRejection.values().length);

    /** What a status file shows. */
    public record Counts(long measured, Map<TcpMssRejection, Long> rejected) {
        public Counts {
            rejected = Map.copyOf(rejected);
        }

        public long rejected(TcpMssRejection reason) {
            return rejected.getOrDefault(reason, 0L);
        }
    }

    void measured() {
        measured.increment();
    }

    void rejected(TcpMssRejection reason) {
        rejected.incrementAndGet(reason.ordinal());
    }

    void count(TcpMssResult result) {
        if (result instanceof TcpMssResult.Failed f) {
            rejected(f.reason());
        } else {
            measured();
        }
    }

    public Counts counts() {
        Map<TcpMssRejection, Long> r = new EnumMap<>(TcpMssRejection.class);
        for (TcpMssRejection reason : TcpMssRejection.values()) {
            long n = rejected.get(reason.ordinal());
            if (n > 0) {
                r.put(reason, n);
            }
        }
        return new Counts(measured.sum(), r);
    }
}
