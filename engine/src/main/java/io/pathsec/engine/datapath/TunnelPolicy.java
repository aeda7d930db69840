package io.pathsec.engine.datapath;

import io.netty.util.collection.IntObjectHashMap;
import io.pathsec.engine.icmp.IcmpSaLookup;
import io.pathsec.engine.icmp.TunnelIcmp;
import io.pathsec.engine.packet.FlowKey;
import io.pathsec.engine.pmtu.PmtuSaView;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.PolicyAction;
import io.pathsec.engine.policy.Sad;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.policy.Spd;
import io.pathsec.engine.policy.SpdEntry;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The data path's view of the SPD and SAD: which SA (with its per-worker ciphers) carries an
 * outbound packet, and which SA an inbound SPI names.
 *
 * <p>Lookups run for every packet, so the maps are immutable snapshots replaced as a whole
 * when SAs change (copy-on-write; changes are rare: SA setup, rekey, delete). The inbound map
 * is keyed by the primitive SPI, so a lookup allocates nothing.
 *
 * <p>It is also PMTU discovery's view of the SAD ({@link PmtuSaView.Directory}): outbound SAs
 * by SPI, for validating the ESP packets quoted in outer ICMP. Each inbound SA is paired with
 * the outbound SA towards the same peer, whose PMTU state clamps inbound SYNs and learns
 * whether the peer is still heard; a rekeyed outbound SA keeps its predecessor's PMTU state.
 */
public final class TunnelPolicy implements PmtuSaView.Directory, IcmpSaLookup {
    private final Spd spd;
    private final Sad sad;
    private final int workers;
    private final int tfcPadTo;
    private final PmtuSettings pmtuSettings;
    private final Clock clock;
    private volatile Map<String, SaRuntime> outbound = Map.of();
    private volatile IntObjectHashMap<SaRuntime> outboundBySpi = new IntObjectHashMap<>();
    private volatile IntObjectHashMap<SaRuntime> inbound = new IntObjectHashMap<>();
    private volatile TunnelIcmp icmp;

    public TunnelPolicy(Spd spd, Sad sad, int workers, int tfcPadTo) {
        this(spd, sad, workers, tfcPadTo, PmtuSettings.defaults(), Clock.systemUTC());
    }

    /** @param pmtuSettings path MTU settings for every outbound SA; {@code clock} drives their timers */
    public TunnelPolicy(Spd spd, Sad sad, int workers, int tfcPadTo, PmtuSettings pmtuSettings, Clock clock) {
        this.spd = spd;
        this.sad = sad;
        this.workers = workers;
        this.tfcPadTo = tfcPadTo;
        this.pmtuSettings = pmtuSettings;
        this.clock = clock;
    }

    /** Installs SAs in the SAD and builds their runtime state. */
    public synchronized void install(List<SecurityAssociation> sas) {
        Map<String, SaRuntime> out = new HashMap<>(outbound);
        IntObjectHashMap<SaRuntime> in = new IntObjectHashMap<>(inbound.size() + sas.size());
        in.putAll(inbound);
        for (SecurityAssociation sa : sas) {
            sad.add(sa);
            SaRuntime runtime = newRuntime(sa, out.get(sa.name()));
            if (sa.direction() == Direction.INBOUND) {
                in.put(sa.spi(), runtime);
            } else {
                out.put(sa.name(), runtime);
            }
        }
        publishOutbound(out);
        pairInbound(in.values(), out.values());
        inbound = in;
    }

    private SaRuntime newRuntime(SecurityAssociation sa, SaRuntime predecessor) {
        boolean inherit = sa.direction() == Direction.OUTBOUND && predecessor != null && predecessor.samePathAs(sa);
        return new SaRuntime(sa, workers, tfcPadTo, pmtuSettings, clock, inherit ? predecessor.pmtu() : null);
    }

    private void publishOutbound(Map<String, SaRuntime> out) {
        IntObjectHashMap<SaRuntime> bySpi = new IntObjectHashMap<>(out.size());
        for (SaRuntime o : out.values()) {
            bySpi.put(o.sa().spi(), o);
        }
        outbound = Map.copyOf(out);
        outboundBySpi = bySpi;
    }

    /** Each inbound SA gets the PMTU state of the outbound SA towards the same peer. */
    private static void pairInbound(Iterable<SaRuntime> in, Iterable<SaRuntime> out) {
        for (SaRuntime i : in) {
            for (SaRuntime o : out) {
                if (Objects.equals(i.sa().remoteEndpoint().getAddress(), o.sa().remoteEndpoint().getAddress())) {
                    i.pairWith(o.pmtu());
                    break;
                }
            }
        }
    }

    /**
     * Adds one inbound SA beside those already there: the first step of a make-before-break
     * rekey (RFC 7296 §2.8), so the peer may send with the new SPI before we do.
     */
    public synchronized void addInbound(SecurityAssociation sa) {
        if (sa.direction() != Direction.INBOUND) {
            throw new IllegalArgumentException("not an inbound SA: " + sa);
        }
        sad.add(sa);
        IntObjectHashMap<SaRuntime> in = new IntObjectHashMap<>(inbound.size() + 1);
        in.putAll(inbound);
        SaRuntime runtime = newRuntime(sa, null);
        pairInbound(List.of(runtime), outbound.values());
        in.put(sa.spi(), runtime);
        inbound = in;
    }

    /**
     * Makes {@code sa} the outbound SA of its binding in one step (§2.8: the switch to the new
     * SA); packets already encrypted with the old one still leave. Returns the replaced SA, or null.
     */
    public synchronized SecurityAssociation replaceOutbound(SecurityAssociation sa) {
        SecurityAssociation previous = sad.replaceOutbound(sa);
        Map<String, SaRuntime> out = new HashMap<>(outbound);
        out.put(sa.name(), newRuntime(sa, outbound.get(sa.name())));
        publishOutbound(out);
        pairInbound(inbound.values(), out.values());
        return previous;
    }

    /**
     * Removes exactly this SA (not a newer one under the same SPI or binding): the last step of
     * a rekey or a Delete (§1.4.1). False when it was not installed.
     */
    public synchronized boolean remove(SecurityAssociation sa) {
        if (!sad.remove(sa)) {
            return false;
        }
        if (sa.direction() == Direction.INBOUND) {
            SaRuntime current = inbound.get(sa.spi());
            if (current != null && current.sa() == sa) {
                IntObjectHashMap<SaRuntime> in = new IntObjectHashMap<>(inbound.size());
                in.putAll(inbound);
                in.remove(sa.spi());
                inbound = in;
            }
        } else {
            SaRuntime current = outbound.get(sa.name());
            if (current != null && current.sa() == sa) {
                Map<String, SaRuntime> out = new HashMap<>(outbound);
                out.remove(sa.name());
                publishOutbound(out);
            }
        }
        return true;
    }

    /** The SPD entries in search order. */
    public List<SpdEntry> spdEntries() {
        return spd.entries();
    }

    /** Replaces the SPD entries (first match wins, RFC 4301 §4.4.1). */
    public void policies(List<SpdEntry> entries) {
        spd.replaceAll(entries);
    }

    /** The SA that must carry this outbound packet, or null when it is to be dropped. */
    SaRuntime outboundSa(FlowKey flow) {
        SpdEntry entry = spd.lookupOutbound(flow);
        if (entry.action() != PolicyAction.PROTECT) {
            return null;
        }
        SaRuntime sa = outbound.get(entry.saBinding());
        return sa != null && sa.sa().allowsOutbound(flow) ? sa : null;
    }

    /** The inbound SA for an SPI, or null. */
    SaRuntime inboundSa(int spi) {
        return inbound.get(spi);
    }

    public Sad sad() {
        return sad;
    }

    /** The live outbound SAs, for PMTU timers and status. */
    public List<SaRuntime> outboundSas() {
        return List.copyOf(outbound.values());
    }

    /** PMTU discovery's view of the SAD: the live outbound SA with this SPI, or null. */
    @Override
    public SaRuntime outboundBySpi(int spi) {
        return outboundBySpi.get(spi);
    }

    /** ICMP handling's view of the SPD: the live outbound SA for a flow, or null. */
    @Override
    public SecurityAssociation outboundSaFor(FlowKey flow) {
        SaRuntime sa = outboundSa(flow);
        return sa == null ? null : sa.sa();
    }

    /** The live runtime of this outbound SA, or null when it is gone (rekeyed, deleted). */
    SaRuntime outboundRuntime(SecurityAssociation sa) {
        SaRuntime r = outbound.get(sa.name());
        return r != null && r.sa() == sa ? r : null;
    }

    /** The ICMP decision point (docs/icmp.md); null: ICMP errors outside the selectors are dropped unseen. */
    public TunnelIcmp icmp() {
        return icmp;
    }

    public void icmp(TunnelIcmp icmp) {
        this.icmp = icmp;
    }

    public PmtuSettings pmtuSettings() {
        return pmtuSettings;
    }
}
