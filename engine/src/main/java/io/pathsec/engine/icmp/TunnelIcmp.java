package io.pathsec.engine.icmp;

import io.netty.buffer.ByteBuf;
import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.IcmpOrigin;
import io.pathsec.engine.control.api.IcmpOutcome;
import io.pathsec.engine.packet.FlowKey;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.policy.SecurityAssociation;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * The ICMP decision point of one tunnel's data path (RFC 4301 §6; the draft's four options).
 *
 * <p>{@link #crossing}: an ICMP error from the protected side (from E2 or a router inside the
 * gateway's network) that no SA's selectors admit, on its way into the tunnel. Its type/code
 * must pass the protected-side table (§6.1.2); the packet it quotes must have crossed an SA —
 * the quote reversed (addresses and ports swapped) must be a flow an outbound SA carries
 * (draft §6, "swap the src/dst and src-port/dst-port") — or it is forged and rejected whatever
 * the option. Then the option decides: discard (with a PMTU probe asked for a dropped Frag
 * Needed / Packet Too Big), implicit (that SA carries it), explicit-sa or ike-relay (handed to
 * their {@link IcmpCarrier}).
 *
 * <p>{@link #inbound}: a decrypted packet that the SA it arrived on does not admit. An ICMP error
 * is delivered when its type/code passes the table, it is addressed to the quoted packet's
 * sender, and its quote reversed is within the selectors of that SA (RFC 4301 §6.2); anything
 * else is dropped as before.
 *
 * <p>Thread safety: {@link #crossing} runs on the TUN reader thread, {@link #inbound} on any
 * crypto worker; both keep no per-call state in fields.
 */
public final class TunnelIcmp {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TunnelIcmp.class);
    private final IcmpSettings settings;
    private final IcmpSaLookup lookup;
    private final IcmpDecisionLog log;
    private final BiConsumer<SecurityAssociation, Integer> probeRequest;
    /** Who runs DPLPMTUD on the SAs (an IKE tunnel or gateway); null: the request is only logged. */
    private volatile BiConsumer<SecurityAssociation, Integer> prober;
    private volatile IcmpCarrier explicitSa;
    private volatile IcmpCarrier relay;

    /**
     * @param probeRequest asked for a PMTU probe on the SA when discard drops a Frag Needed /
     *                     Packet Too Big reporting this MTU (the draft §4's heuristic)
     */
    public TunnelIcmp(IcmpSettings settings, IcmpSaLookup lookup, IcmpDecisionLog log,
                      BiConsumer<SecurityAssociation, Integer> probeRequest) {
        this.settings = settings;
        this.lookup = lookup;
        this.log = log;
        this.probeRequest = probeRequest;
    }

    /**
     * The decision point of a tunnel named {@code name}: decisions logged and sent to {@code
     * events} as the settings' logging says; a probe request is logged for whoever runs PMTU
     * discovery on the SA to pick up.
     */
    public static TunnelIcmp forTunnel(String name, IcmpSettings settings, IcmpSaLookup lookup,
                                       java.util.function.Consumer<io.pathsec.engine.control.api.IcmpDecision> events) {
        return new TunnelIcmp(settings, lookup,
                new IcmpDecisionLog(name, settings.logging(), events, java.time.Clock.systemUTC()),
                (sa, mtu) -> LOG.info("SA {}: a dropped ICMP reported MTU {} inside the peer's network; PMTU probe asked for",
                        saName(sa), mtu));
    }

    /** Sets the carrier of the explicit-sa option (an IKE tunnel's ICMP CHILD_SA); null for none. */
    public void explicitSa(IcmpCarrier carrier) {
        this.explicitSa = carrier;
    }

    /**
     * An error the explicit ICMP CHILD_SA's queue released (the SA is up), for the data path's
     * reader thread to send through the SPD like any packet; null when none waits.
     */
    public byte[] nextReleased() {
        IcmpCarrier c = explicitSa;
        return c instanceof ExplicitSaCarrier e ? e.nextReleased() : null;
    }

    /**
     * Sets who is asked for a DPLPMTUD probe when discard drops a Frag Needed / Packet Too Big
     * (with {@code probeOnDiscard}); it must not block (it runs on the TUN reader thread).
     */
    public void prober(BiConsumer<SecurityAssociation, Integer> prober) {
        this.prober = prober;
    }

    /** Sets the carrier of the ike-relay option; null for none. */
    public void relay(IcmpCarrier carrier) {
        this.relay = carrier;
    }

    /**
     * The RFC 4301 §6.1.1 check for the outer ICMP receiver (classic PMTUD): the profile's
     * unprotected-side table, each decision counted and published like the others.
     */
    public io.pathsec.engine.pmtu.OuterIcmpCheck unprotectedSide() {
        return new UnprotectedSideIcmp(settings.unprotectedSide(), log);
    }

    public IcmpSettings settings() {
        return settings;
    }

    public IcmpDecisionLog decisions() {
        return log;
    }

    /**
     * An outbound packet that no SA admits ({@code flow} is its parsed key, left unchanged).
     *
     * @return the SA to carry it, or where it is counted as dropped
     */
    public IcmpRoute crossing(ByteBuf packet, FlowKey flow) {
        if (!IcmpErrorMessage.isError(flow)) {
            return IcmpRoute.NO_POLICY;
        }
        IcmpErrorMessage m;
        try {
            m = IcmpErrorMessage.parse(packet);
        } catch (IllegalArgumentException e) {
            log.malformed(e.getMessage());
            return IcmpRoute.REJECTED;
        }
        IcmpOrigin origin = m.sentByQuotedDestination() ? IcmpOrigin.END_NODE : IcmpOrigin.INSIDE_ROUTER;
        if (typeRejected(m, origin)) {
            return IcmpRoute.REJECTED;
        }
        SecurityAssociation sa = m.addressedToQuotedSender() ? lookup.outboundSaFor(m.quotedFlow().reverse()) : null;
        if (sa == null) {
            log.record(m, origin, settings.handling(), IcmpOutcome.DROPPED, null, "no-sa-for-quoted-flow",
                    "dropped because the packet it quotes never crossed an SA (forged, or not about tunnelled traffic)");
            return IcmpRoute.REJECTED;
        }
        IcmpHandling option = settings.handling();
        switch (option) {
            case IMPLICIT:
                log.record(m, origin, option, IcmpOutcome.FORWARDED, saName(sa), null,
                        "forwarded on SA " + saName(sa) + ", the SA of the quoted flow");
                return IcmpRoute.via(sa);
            case EXPLICIT_SA:
                return handOver(explicitSa, packet, m, origin, option, sa, "icmp-sa-failed",
                        "no IKE to negotiate an ICMP SA with (static keys)");
            case RELAY_IKE:
                return handOver(relay, packet, m, origin, option, sa, "peer-lacks-vendor-id",
                        "no IKE relay on this tunnel");
            case DISCARD:
            default:
                boolean probe = settings.probeOnDiscard() && m.isPacketTooBig();
                log.record(m, origin, option, IcmpOutcome.DROPPED, null, "discard-option",
                        "dropped because the option is discard" + (probe ? "; PMTU probe asked for on SA "
                                + saName(sa) : ""));
                if (probe) {
                    probeRequest.accept(sa, m.reportedMtu());
                    BiConsumer<SecurityAssociation, Integer> p = prober;
                    if (p != null) {
                        p.accept(sa, m.reportedMtu());
                    }
                }
                return IcmpRoute.NOT_CARRIED;
        }
    }

    private IcmpRoute handOver(IcmpCarrier carrier, ByteBuf packet, IcmpErrorMessage m, IcmpOrigin origin,
                               IcmpHandling option, SecurityAssociation sa, String missingReason, String missingWords) {
        if (carrier == null) {
            log.record(m, origin, option, IcmpOutcome.DROPPED, null, missingReason, "dropped because " + missingWords);
            return IcmpRoute.NOT_CARRIED;
        }
        byte[] copy = new byte[packet.readableBytes()];
        packet.getBytes(packet.readerIndex(), copy);
        IcmpCarrier.Result r = carrier.carry(copy, m, sa);
        log.record(m, origin, option, r.outcome(), r.sa(), r.reason(), r.words());
        return r.outcome() == IcmpOutcome.DROPPED ? IcmpRoute.NOT_CARRIED : IcmpRoute.CARRIED_ELSEWHERE;
    }

    /**
     * A decrypted packet that {@code arrivedOn}'s selectors refused.
     *
     * @return null to deliver it (an ICMP error that passed RFC 4301 §6.2), else the drop reason
     */
    public DropReason inbound(ByteBuf packet, FlowKey flow, SecurityAssociation arrivedOn) {
        if (!IcmpErrorMessage.isError(flow)) {
            return DropReason.SELECTOR_MISMATCH;
        }
        IcmpErrorMessage m;
        try {
            m = IcmpErrorMessage.parse(packet);
        } catch (IllegalArgumentException e) {
            log.malformed(e.getMessage());
            return DropReason.ICMP_REJECTED;
        }
        return checkFromPeer(m, arrivedOn, saName(arrivedOn)) ? null : DropReason.ICMP_REJECTED;
    }

    /**
     * Whether {@code sa} is an explicit ICMP SA (draft §5): every selector names ICMP or ICMPv6.
     * Its errors are checked against the data SAs, not only against its own selectors.
     */
    public static boolean carriesOnlyIcmp(SecurityAssociation sa) {
        return !sa.selectors().isEmpty() && sa.selectors().stream()
                .allMatch(x -> x.protocol() == FlowKey.PROTO_ICMP || x.protocol() == FlowKey.PROTO_ICMPV6);
    }

    /**
     * An outbound ICMP error that the SPD put on the explicit ICMP SA {@code icmpSa}: its
     * selectors admit any ICMP between the data SAs' addresses, so the quote is checked as in
     * {@link #crossing} — reversed, it must be a flow a data SA with the same peer carries —
     * or the error is forged and never enters the tunnel.
     *
     * @return null to send it on {@code icmpSa}, else the drop reason
     */
    public DropReason onIcmpSaOutbound(ByteBuf packet, FlowKey flow, SecurityAssociation icmpSa) {
        IcmpErrorMessage m = readError(packet, flow);
        if (m == null) {
            return flow.icmpType() < 0 || !IcmpErrorMessage.isError(flow) ? null : DropReason.ICMP_REJECTED;
        }
        IcmpOrigin origin = m.sentByQuotedDestination() ? IcmpOrigin.END_NODE : IcmpOrigin.INSIDE_ROUTER;
        if (typeRejected(m, origin)) {
            return DropReason.ICMP_REJECTED;
        }
        SecurityAssociation data = m.addressedToQuotedSender() ? lookup.outboundSaFor(m.quotedFlow().reverse()) : null;
        if (!isDataSaOfPeer(data, icmpSa)) {
            log.record(m, origin, settings.handling(), IcmpOutcome.DROPPED, null, "no-sa-for-quoted-flow",
                    "dropped because the packet it quotes never crossed a data SA (forged, or not about tunnelled"
                            + " traffic); the ICMP SA " + saName(icmpSa) + " carries only errors about them");
            return DropReason.ICMP_REJECTED;
        }
        log.record(m, origin, settings.handling(), IcmpOutcome.FORWARDED, saName(icmpSa), null,
                "forwarded on the ICMP SA " + saName(icmpSa) + "; it quotes a flow of SA " + saName(data));
        return null;
    }

    /**
     * RFC 4301 §6.2 for an ICMP error that arrived on the explicit ICMP SA {@code arrivedOn}:
     * its own selectors admit it, but it is delivered only when it is addressed to the quoted
     * packet's sender and the quoted packet is a flow that a data SA with the same peer carries
     * (we sent it through the tunnel). Anything else is dropped and counted.
     *
     * @return null to deliver it, else the drop reason
     */
    public DropReason onIcmpSaInbound(ByteBuf packet, FlowKey flow, SecurityAssociation arrivedOn) {
        IcmpErrorMessage m = readError(packet, flow);
        if (m == null) {
            return flow.icmpType() < 0 || !IcmpErrorMessage.isError(flow) ? null : DropReason.ICMP_REJECTED;
        }
        if (typeRejected(m, IcmpOrigin.PEER_GATEWAY)) {
            return DropReason.ICMP_REJECTED;
        }
        SecurityAssociation data = m.addressedToQuotedSender() ? lookup.outboundSaFor(m.quotedFlow()) : null;
        if (!isDataSaOfPeer(data, arrivedOn)) {
            log.record(m, IcmpOrigin.PEER_GATEWAY, settings.handling(), IcmpOutcome.DROPPED, null, "selector-mismatch",
                    "dropped because the flow it quotes is not within the selectors of any data SA with this peer"
                            + " (arrived on the ICMP SA " + saName(arrivedOn) + ", RFC 4301 §6.2)");
            return DropReason.ICMP_REJECTED;
        }
        log.record(m, IcmpOrigin.PEER_GATEWAY, settings.handling(), IcmpOutcome.DELIVERED, saName(arrivedOn), null,
                "delivered towards the end node; arrived on the ICMP SA " + saName(arrivedOn)
                        + ", its quote is a flow of SA " + saName(data));
        return null;
    }

    /** RFC 4301 §6.1.2: whether the protected-side table rejects {@code m}'s type/code (then recorded as dropped). */
    private boolean typeRejected(IcmpErrorMessage m, IcmpOrigin origin) {
        if (settings.protectedSide().accepts(m.ipVersion(), m.type(), m.code())) {
            return false;
        }
        log.record(m, origin, null, IcmpOutcome.DROPPED, null, "type-rejected",
                "dropped because the protected-side table rejects this type/code (RFC 4301 §6.1.2)");
        return true;
    }

    /** The error in {@code packet}, or null when it is not one (nothing to check) or is unreadable (counted). */
    private IcmpErrorMessage readError(ByteBuf packet, FlowKey flow) {
        if (!IcmpErrorMessage.isError(flow)) {
            return null;
        }
        try {
            return IcmpErrorMessage.parse(packet);
        } catch (IllegalArgumentException e) {
            log.malformed(e.getMessage());
            return null;
        }
    }

    private static boolean isDataSaOfPeer(SecurityAssociation data, SecurityAssociation icmpSa) {
        return data != null && !carriesOnlyIcmp(data)
                && java.util.Objects.equals(data.remoteEndpoint(), icmpSa.remoteEndpoint());
    }

    /**
     * An ICMP error the peer relayed in IKE (ike-relay): checked like one that arrived on an SA
     * (RFC 4301 §6.2), against the first of {@code inboundSas} whose selectors admit its
     * reversed quote.
     *
     * @return the message to write towards the end node, or null when it was dropped
     */
    public IcmpErrorMessage fromRelay(ByteBuf packet, List<SecurityAssociation> inboundSas) {
        IcmpErrorMessage m;
        try {
            m = IcmpErrorMessage.parse(packet);
        } catch (IllegalArgumentException e) {
            log.malformed(e.getMessage());
            return null;
        }
        FlowKey reversed = m.quotedFlow().reverse();
        SecurityAssociation sa = inboundSas.stream().filter(s -> s.allowsInbound(reversed)).findFirst()
                .orElse(inboundSas.isEmpty() ? null : inboundSas.get(0));
        if (sa == null) {
            log.record(m, IcmpOrigin.PEER_GATEWAY, settings.handling(), IcmpOutcome.DROPPED, null, "selector-mismatch",
                    "dropped because no SA with this peer is installed (RFC 4301 §6.2)");
            return null;
        }
        return checkFromPeer(m, sa, "IKE relay for SA " + saName(sa)) ? m : null;
    }

    /**
     * RFC 4301 §6.2 for an ICMP error the peer sent us (on an SA, or relayed in IKE on behalf
     * of {@code sa}): recorded as delivered or dropped.
     */
    public boolean checkFromPeer(IcmpErrorMessage m, SecurityAssociation sa, String via) {
        if (typeRejected(m, IcmpOrigin.PEER_GATEWAY)) {
            return false;
        }
        if (!m.addressedToQuotedSender() || !sa.allowsInbound(m.quotedFlow().reverse())) {
            log.record(m, IcmpOrigin.PEER_GATEWAY, settings.handling(), IcmpOutcome.DROPPED, null, "selector-mismatch",
                    "dropped because the reversed quote is not within the selectors of SA " + saName(sa)
                            + " (RFC 4301 §6.2)");
            return false;
        }
        log.record(m, IcmpOrigin.PEER_GATEWAY, settings.handling(), IcmpOutcome.DELIVERED, via, null,
                "delivered towards the end node; arrived on " + via + ", its reversed quote is within the SA's selectors");
        return true;
    }

    static String saName(SecurityAssociation sa) {
        return sa.name() + String.format(" 0x%08x", sa.spi());
    }
}
