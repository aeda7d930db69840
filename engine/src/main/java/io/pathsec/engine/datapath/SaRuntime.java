package io.pathsec.engine.datapath;

import io.pathsec.engine.esp.EspCodec;
import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.esp.ReplayWindow;
import io.pathsec.engine.icmp.TunnelIcmp;
import io.pathsec.engine.pmtu.EffectiveMtu;
import io.pathsec.engine.pmtu.PmtuSaView;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.policy.SecurityAssociation;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * What the data path keeps beside one SA of the SAD: a cipher instance per crypto worker
 * (JDK ciphers are not thread-safe, and a lock per packet would serialise the workers) and,
 * for inbound SAs, the anti-replay window (RFC 4303 §3.4.3); for outbound SAs, the path MTU
 * state (RFC 4301 §8.2), and for inbound SAs the PMTU state of their outbound partner, whose
 * effective MTU clamps the MSS of SYNs coming in.
 */
public final class SaRuntime implements PmtuSaView {
    private final SecurityAssociation sa;
    private final EspTransform transform;
    private final EspCodec[] codecs;
    private final ReplayWindow replayWindow;
    private final PmtuState pmtu;
    private volatile PmtuState pairedPmtu;
    /** The SA's selectors admit only ICMP (the explicit ICMP SA): asked per ICMP packet, fixed per SA. */
    private final boolean carriesOnlyIcmp;

    SaRuntime(SecurityAssociation sa, int workers, int tfcPadTo) {
        this(sa, workers, tfcPadTo, PmtuSettings.defaults(), Clock.systemUTC());
    }

    SaRuntime(SecurityAssociation sa, int workers, int tfcPadTo, PmtuSettings pmtuSettings, Clock clock) {
        this(sa, workers, tfcPadTo, pmtuSettings, clock, null);
    }

    /**
     * @param inheritedPmtu for an outbound SA that replaces another on the same path with the same
     *                      transform (a rekey): its predecessor's PMTU state, carried over; else null
     */
    SaRuntime(SecurityAssociation sa, int workers, int tfcPadTo, PmtuSettings pmtuSettings, Clock clock,
              PmtuState inheritedPmtu) {
        this.sa = sa;
        this.carriesOnlyIcmp = TunnelIcmp.carriesOnlyIcmp(sa);
        this.transform = EspTransform.fromName(sa.transform());
        // One codec (cipher instances are not thread-safe) per worker, plus one for the producer,
        // which does small packets itself when its lane is idle (OrderedLane#submit).
        this.codecs = new EspCodec[workers + 1];
        boolean inbound = sa.direction() == Direction.INBOUND;
        for (int i = 0; i < codecs.length; i++) {
            codecs[i] = inbound
                    ? EspCodec.inbound(transform, sa.keyMaterial(), sa.spi(), sa.extendedSequenceNumbers())
                    : EspCodec.outbound(transform, sa.keyMaterial(), sa.spi(), tfcPadTo, sa.extendedSequenceNumbers());
        }
        this.replayWindow = inbound ? new ReplayWindow(windowSize(sa.replayWindow()), sa.extendedSequenceNumbers()) : null;
        if (inbound) {
            this.pmtu = null;
        } else if (inheritedPmtu != null) {
            this.pmtu = inheritedPmtu;
            inheritedPmtu.renameSa(pmtuName(sa));
        } else {
            InetSocketAddress remote = sa.remoteEndpoint();
            boolean outerIpv6 = remote != null && remote.getAddress() instanceof Inet6Address;
            EspCodec codec = codecs[0];
            EffectiveMtu math = new EffectiveMtu(outerIpv6, sa.udpEncapsulation(), sa.mode() == IpsecMode.TUNNEL,
                    codec::overhead);
            this.pmtu = new PmtuState(pmtuName(sa), pmtuSettings, outerIpv6, math, clock);
        }
    }

    /**
     * Whether this is the explicit ICMP SA ({@link TunnelIcmp#carriesOnlyIcmp}), computed once:
     * the question comes with every ICMP packet, ping included, and the SA never changes.
     */
    boolean carriesOnlyIcmp() {
        return carriesOnlyIcmp;
    }

    private static String pmtuName(SecurityAssociation sa) {
        return sa.name() + String.format(" 0x%08x", sa.spi());
    }

    /** Whether {@code next} may take over this outbound SA's PMTU state (same path and transform). */
    boolean samePathAs(SecurityAssociation next) {
        return sa.transform().equals(next.transform()) && sa.mode() == next.mode()
                && sa.udpEncapsulation() == next.udpEncapsulation()
                && sa.remoteEndpoint().equals(next.remoteEndpoint());
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

    /** Outbound SAs: the path MTU state. Inbound SAs: the partner's, or null when unpaired. */
    @Override
    public PmtuState pmtu() {
        return pmtu != null ? pmtu : pairedPmtu;
    }

    void pairWith(PmtuState outboundPmtu) {
        this.pairedPmtu = outboundPmtu;
    }

    @Override
    public InetSocketAddress localEndpoint() {
        return sa.localEndpoint();
    }

    @Override
    public InetSocketAddress remoteEndpoint() {
        return sa.remoteEndpoint();
    }

    @Override
    public boolean udpEncapsulation() {
        return sa.udpEncapsulation();
    }

    @Override
    public long lastSequenceNumber() {
        return sa.lastSequenceNumber();
    }
}
