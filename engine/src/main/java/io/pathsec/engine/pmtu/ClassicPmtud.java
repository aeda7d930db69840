package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Classic PMTUD for the outer path (RFC 1191, RFC 8201): each outer ICMP message that reports a
 * packet too big is validated ({@link IcmpPmtuValidator}), and only a validated one lowers its
 * SA's PLPMTU. Every message is counted by outcome, so forged ICMP shows up in the status. A
 * message about one of our DPLPMTUD probes goes to the prober that sent it, which concludes the
 * probe with the reported size.
 */
public final class ClassicPmtud {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicPmtud.class);

    private final IcmpPmtuValidator validator;
    private final LongAdder accepted = new LongAdder();
    private final Map<IcmpRejection, LongAdder> rejected = new EnumMap<>(IcmpRejection.class);
    private volatile OuterIcmpCheck check = OuterIcmpCheck.NONE;

    public ClassicPmtud(IcmpPmtuValidator validator) {
        this.validator = validator;
        for (IcmpRejection r : IcmpRejection.values()) {
            rejected.put(r, new LongAdder());
        }
    }

    /**
     * Handles one ICMP message (readable bytes from its type octet). Messages of other types
     * are ignored without counting.
     *
     * @return the verdict, or null when the message is not a PMTU message
     */
    public IcmpVerdict handle(ByteBuf icmp, boolean ipv6) {
        return handle(icmp, ipv6, null);
    }

    /** Sets the RFC 4301 §6.1.1 check asked before any message is used ({@link OuterIcmpCheck#NONE} by default). */
    public void check(OuterIcmpCheck check) {
        this.check = check == null ? OuterIcmpCheck.NONE : check;
    }

    /**
     * As {@link #handle(ByteBuf, boolean)}, knowing the sender ({@code source}, or null).
     * The unprotected-side table (RFC 4301 §6.1.1) is asked first: a type/code it rejects is
     * counted as {@link IcmpRejection#TYPE_REJECTED} and changes nothing.
     */
    public IcmpVerdict handle(ByteBuf icmp, boolean ipv6, byte[] source) {
        if (!IcmpPmtuValidator.isPacketTooBig(icmp, ipv6)) {
            return null;
        }
        OuterIcmpCheck c = check;
        if (!c.admits(icmp, ipv6, source)) {
            rejected.get(IcmpRejection.TYPE_REJECTED).increment();
            return IcmpVerdict.rejected(IcmpRejection.TYPE_REJECTED);
        }
        IcmpVerdict verdict = validator.validate(icmp, ipv6);
        c.decided(icmp, ipv6, source, verdict);
        if (!verdict.isAccepted()) {
            rejected.get(verdict.rejection()).increment();
            LOG.debug("outer ICMP packet-too-big rejected: {}", verdict.rejection());
            return verdict;
        }
        accepted.increment();
        if (verdict.probe() != null) {
            // About a DPLPMTUD probe: the prober concludes it (RFC 8899 §4.6.2) and records the value.
            LOG.debug("outer ICMP reports MTU {} for the {}-octet DPLPMTUD probe of SA {}", verdict.mtu(),
                    verdict.probe().size(), verdict.sa().pmtu().saName());
            verdict.probe().tooBig().accept(verdict.mtu());
            return verdict;
        }
        PmtuState state = verdict.sa().pmtu();
        int before = state.plpmtu();
        if (state.reportTooBig(PmtuSource.CLASSIC_ICMP, verdict.mtu())) {
            LOG.info("SA {}: outer ICMP reports MTU {}, PLPMTU {} -> {}, effective inner MTU {}",
                    state.saName(), verdict.mtu(), before, state.plpmtu(), state.effectiveMtu());
        }
        return verdict;
    }

    public OuterIcmpStats stats() {
        Map<IcmpRejection, Long> r = new EnumMap<>(IcmpRejection.class);
        rejected.forEach((k, v) -> {
            if (v.sum() > 0) {
                r.put(k, v.sum());
            }
        });
        return new OuterIcmpStats(accepted.sum(), r);
    }
}
