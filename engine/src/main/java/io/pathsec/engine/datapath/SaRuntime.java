package io.pathsec.engine.datapath;

import io.pathsec.engine.esp.EspCodec;
import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.esp.ReplayWindow;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.SecurityAssociation;

/**
 * What the data path keeps beside one SA of the SAD: a cipher instance per crypto worker
 * (JDK ciphers are not thread-safe, and a lock per packet would serialise the workers) and,
 * for inbound SAs, the anti-replay window (RFC 4303 §3.4.3).
 */
public final class SaRuntime {
    private final SecurityAssociation sa;
    private final EspTransform transform;
    private final EspCodec[] codecs;
    private final ReplayWindow replayWindow;

    SaRuntime(SecurityAssociation sa, int workers, int tfcPadTo) {
        this.sa = sa;
        this.transform = EspTransform.fromName(sa.transform());
        this.codecs = new EspCodec[Math.max(1, workers)];
        boolean inbound = sa.direction() == Direction.INBOUND;
        for (int i = 0; i < codecs.length; i++) {
            codecs[i] = inbound
                    ? EspCodec.inbound(transform, sa.keyMaterial(), sa.spi(), sa.extendedSequenceNumbers())
                    : EspCodec.outbound(transform, sa.keyMaterial(), sa.spi(), tfcPadTo, sa.extendedSequenceNumbers());
        }
        this.replayWindow = inbound ? new ReplayWindow(windowSize(sa.replayWindow()), sa.extendedSequenceNumbers()) : null;
    }

    /**
     * The window must cover every packet that can be in flight: a packet passes the pre-check in
     * arrival order but is marked only after a worker decrypted it, and meanwhile up to
     * {@link TunnelLimits#IN_FLIGHT_PER_DIRECTION} later packets may move the window. A smaller
     * window would turn a slow worker's genuine packet into a replay (RFC 4303 §3.4.3 lets the
     * receiver choose the size). Rounded up to a power of two.
     */
    static int windowSize(int configured) {
        int wanted = Math.max(Math.max(TunnelLimits.DEFAULT_REPLAY_WINDOW, configured),
                2 * TunnelLimits.IN_FLIGHT_PER_DIRECTION);
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    public SecurityAssociation sa() {
        return sa;
    }

    public EspTransform transform() {
        return transform;
    }

    EspCodec codec(int worker) {
        return codecs[worker];
    }

    ReplayWindow replayWindow() {
        return replayWindow;
    }
}
