package io.pathsec.engine.pmtu;

import java.util.Map;

/** Outer ICMP packet-too-big messages seen by a tunnel: accepted, and rejected by reason. */
public record OuterIcmpStats(long accepted, Map<IcmpRejection, Long> rejected) {

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    public long rejected(IcmpRejection reason) {
        return rejected.getOrDefault(reason, 0L);
    }
}
