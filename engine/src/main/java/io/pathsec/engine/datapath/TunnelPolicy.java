package io.pathsec.engine.datapath;

import io.netty.util.collection.IntObjectHashMap;
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
 */
public final class TunnelPolicy implements PmtuSaView.Directory {
    private final Spd spd;
    private final Sad sad;
    private final int workers;
    private final int tfcPadTo;
    private final PmtuSettings pmtuSettings;
    private final Clock clock;
    private volatile Map<String, SaRuntime> outbound = Map.of();
    private volatile IntObjectHashMap<SaRuntime> outboundBySpi = new IntObjectHashMap<>();
    private volatile IntObjectHashMap<SaRuntime> inbound = new IntObjectHashMap<>();

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
            SaRuntime runtime = new SaRuntime(sa, workers, tfcPadTo, pmtuSettings, clock);
            if (sa.direction() == Direction.INBOUND) {
                in.put(sa.spi(), runtime);
            } else {
                out.put(sa.name(), runtime);
            }
        }
        IntObjectHashMap<SaRuntime> bySpi = new IntObjectHashMap<>(out.size());
        for (SaRuntime o : out.values()) {
            bySpi.put(o.sa().spi(), o);
        }
        pairInbound(in.values(), out.values());
        outbound = Map.copyOf(out);
        outboundBySpi = bySpi;
        inbound = in;
    }

    /**
     * Gives each inbound SA the PMTU state of the outbound SA towards the same peer, so that
     * SYNs arriving through it are clamped to what our direction can carry.
     */
    private static void pairInbound(Iterable<SaRuntime> in, Iterable<SaRuntime> out) {
        for (SaRuntime i : in) {
            for (SaRuntime o : out) {
                if (i.sa().remoteEndpoint() == null || o.sa().remoteEndpoint() == null
                        || Objects.equals(i.sa().remoteEndpoint().getAddress(), o.sa().remoteEndpoint().getAddress())) {
                    i.pairWith(o.pmtu());
                    SecurityAssociation inboundSa = i.sa();
                    o.pmtu().inboundPacketCounter(inboundSa::packets);
                    break;
                }
            }
        }
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

    public PmtuSettings pmtuSettings() {
        return pmtuSettings;
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
}
