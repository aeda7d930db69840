package io.pathsec.engine.pmtu;

/**
 * The DF bit of the outer IPv4 header of an SA's ESP packets, configured per SA (RFC 4301 §8.1;
 * §5.1.2.1's header construction table, "DF: copied from inner header, or set/cleared per SA").
 * An IPv6 outer header has no DF bit: routers never fragment IPv6 (RFC 8200 §5), so the setting
 * applies to IPv4 outer paths only.
 */
public enum OuterDf {
    /** DF as the inner packet has it (an inner IPv6 packet counts as DF set: it may not be fragmented on the way). */
    COPY,
    /** Always set: the path's routers drop and report rather than fragment (the default; PMTUD needs it). */
    SET,
    /** Always clear: routers may fragment the ESP packet, which the peer reassembles (RFC 4301 §8.1). */
    CLEAR;

    /** Whether an outer packet carrying an inner packet with this DF (IPv6 inner: true) leaves with DF set. */
    public boolean outerDf(boolean innerDf) {
        return switch (this) {
            case COPY -> innerDf;
            case SET -> true;
            case CLEAR -> false;
        };
    }
}
