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
        this.codecs = new EspCodec[workers];
        boolean inbound = sa.direction() == Direction.INBOUND;
        for (int i = 0; i < workers; i++) {
            codecs[i] = inbound
                    // The SA's ESN flag is what IKE negotiated; the codec's short forms assume ESN.
                    ? EspCodec.inbound(transform, sa.keyMaterial(), sa.spi(), sa.extendedSequenceNumbers())
                    : EspCodec.outbound(transform, sa.keyMaterial(), sa.spi(), tfcPadTo, sa.extendedSequenceNumbers());
        }
        this.replayWindow = inbound ? new ReplayWindow(Math.max(TunnelLimits.DEFAULT_REPLAY_WINDOW, sa.replayWindow()),
                sa.extendedSequenceNumbers()) : null;
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
