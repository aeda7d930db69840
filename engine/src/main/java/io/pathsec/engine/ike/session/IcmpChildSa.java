package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNoncePayload;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.IkeSaPayload;
import io.pathsec.engine.ike.message.IkeTsPayload;
import io.pathsec.engine.ike.message.NotifyType;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.ike.message.TsType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The explicit ICMP SA (draft-ietf-ipsec-icmp-options-00 §5): an additional CHILD_SA, created
 * with CREATE_CHILD_SA without REKEY_SA (RFC 7296 §1.3.1), whose traffic selectors carry only
 * ICMP (protocol 1 for IPv4, 58 for IPv6) between the union of the addresses of the current
 * CHILD_SAs — plus the two gateways' own addresses, since a gateway's forwarding plane is itself
 * a router that sends ICMP errors. Both roles:
 * <ul>
 *   <li>{@link #create}: we offer only transforms at least as strong as the strongest data SA
 *       (the draft: ICMP quotes the offending packet, so a weaker SA would leak it);</li>
 *   <li>{@link #answer}: a request for a further CHILD_SA is accepted only when all its selectors
 *       are ICMP within that union and the transform chosen is at least as strong; otherwise
 *       TS_UNACCEPTABLE, NO_PROPOSAL_CHOSEN, or NO_ADDITIONAL_SAS for anything that is not ICMP.</li>
 * </ul>
 * The new CHILD_SA joins {@link ChildSaProcedures}, so it is rekeyed and deleted like the others.
 */
final class IcmpChildSa {
    private static final Logger LOG = LoggerFactory.getLogger(IcmpChildSa.class);
    static final int ICMP = 1;
    static final int ICMPV6 = 58;

    private final ChildSaProcedures children;
    private final IkeSessionListener listener;
    private final List<EspTransform> espTransforms;
    private volatile InetAddress ownAddress;
    private boolean inFlight;

    IcmpChildSa(ChildSaProcedures children, IkeSessionListener listener, List<EspTransform> espTransforms) {
        this.children = children;
        this.listener = listener;
        this.espTransforms = List.copyOf(espTransforms);
    }

    /** Our outer address, which the ICMP SA's local selectors include (errors our own kernel sends). */
    void ownAddress(InetAddress address) {
        this.ownAddress = address;
    }

    /** The strength of a transform for the draft's rule: its cipher key length in bits. */
    static int strength(EspTransform t) {
        return switch (t) {
            case AES_GCM_16_128, AES_CBC_128_HMAC_SHA2_256_128 -> 128;
            case AES_GCM_16_256, CHACHA20_POLY1305, AES_CBC_256_HMAC_SHA2_256_128 -> 256;
        };
    }

    private static int strongest(List<ChildSa> data) {
        return data.stream().mapToInt(c -> strength(c.esp().transform())).max().orElse(0);
    }

    static boolean icmpOnly(List<TrafficSelector> ts) {
        return !ts.isEmpty() && ts.stream().allMatch(t -> t.ipProtocol() == (t.type() == TsType.TS_IPV4_ADDR_RANGE
                ? ICMP : ICMPV6));
    }

    /** Whether an ICMP CHILD_SA is installed already. */
    boolean present() {
        return children.installed().stream().anyMatch(c -> icmpOnly(c.localTs()));
    }

    // ---- we initiate ------------------------------------------------------------------------------

    /**
     * Negotiates the ICMP CHILD_SA on {@code sa}; {@code done} gets null on success, else the reason
     * in words. Only one negotiation at a time; one that is already in flight answers "in progress".
     */
    void create(IkeSa sa, Consumer<String> done) {
        List<ChildSa> data = children.installed().stream().filter(c -> !icmpOnly(c.localTs())).toList();
        if (data.isEmpty()) {
            done.accept("no data CHILD_SA to follow");
            return;
        }
        if (inFlight) {
            done.accept("in progress");
            return;
        }
        int floor = strongest(data);
        List<EspTransform> offer = espTransforms.stream().filter(t -> strength(t) >= floor).toList();
        if (offer.isEmpty()) {
            done.accept("no configured transform is as strong as the data SA (" + floor + " bits)");
            return;
        }
        List<TrafficSelector> tsi = union(data, true, ownAddress);
        List<TrafficSelector> tsr = union(data, false, sa.peer().getAddress());
        int spi = children.freshSpi();
        byte[] ni = children.freshNonce();
        List<IkePayload> payloads = List.of(EspProposal.offer(offer, spi), new IkeNoncePayload(ni),
                new IkeTsPayload(true, tsi), new IkeTsPayload(false, tsr));
        inFlight = true;
        LOG.info("CREATE_CHILD_SA: an ICMP CHILD_SA {} === {} (inbound SPI 0x{}, offering {})",
                TrafficSelectors.describe(tsi), TrafficSelectors.describe(tsr), Integer.toHexString(spi), offer);
        sa.sendRequest(ExchangeType.CREATE_CHILD_SA, payloads, new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
                inFlight = false;
                done.accept(onAnswer(sa, response, offer, spi, ni, data.get(0), tsi, tsr));
            }

            @Override
            public void onTimeout() {
                inFlight = false;
                done.accept("the peer did not answer");
            }
        });
    }

    private String onAnswer(IkeSa sa, IkeMessage response, List<EspTransform> offer, int spi, byte[] ni, ChildSa model,
                            List<TrafficSelector> tsi, List<TrafficSelector> tsr) {
        Optional<IkeNotifyPayload> error = response.all(IkeNotifyPayload.class).stream()
                .filter(IkeNotifyPayload::isError).findFirst();
        if (error.isPresent()) {
            return "the peer refused it: " + error.get().type().map(Enum::name).orElse("error " + error.get().notifyType());
        }
        Optional<IkeSaPayload> saPayload = response.first(IkeSaPayload.class);
        Optional<EspProposal.Chosen> chosen = saPayload.flatMap(p -> EspProposal.acceptAnswer(offer, p));
        Optional<IkeNoncePayload> nr = response.first(IkeNoncePayload.class);
        List<IkeTsPayload> ts = response.all(IkeTsPayload.class);
        List<TrafficSelector> gotI = ts.stream().filter(IkeTsPayload::initiator).findFirst().map(IkeTsPayload::selectors)
                .orElse(List.of());
        List<TrafficSelector> gotR = ts.stream().filter(t -> !t.initiator()).findFirst().map(IkeTsPayload::selectors)
                .orElse(List.of());
        if (chosen.isEmpty() || nr.isEmpty() || !icmpOnly(gotI) || !icmpOnly(gotR)
                || !TrafficSelectors.allWithin(gotI, tsi) || !TrafficSelectors.allWithin(gotR, tsr)) {
            return "the peer's answer lacks SA, Nonce or ICMP selectors within ours";
        }
        int peerSpi = ByteBuffer.wrap(saPayload.get().proposals().get(0).spi()).getInt();
        ChildSa fresh = ChildSa.derive(sa.keys.prf, sa.keys.skD, null, ni, nr.get().nonce(), true, spi, peerSpi,
                chosen.get(), gotI, gotR).withMode(model.mode());
        children.adoptAdditional(fresh, true, ni, nr.get().nonce());
        listener.childSaInboundReady(fresh);
        listener.childSaAdded(fresh);
        LOG.info("ICMP CHILD_SA up: {}", fresh);
        return null;
    }

    /** ICMP selectors over the union of the data SAs' local (or remote) addresses and {@code extra}. */
    private static List<TrafficSelector> union(List<ChildSa> data, boolean local, InetAddress extra) {
        List<TrafficSelector> out = new ArrayList<>();
        for (ChildSa c : data) {
            for (TrafficSelector t : local ? c.localTs() : c.remoteTs()) {
                TrafficSelector icmp = icmp(t.startAddress(), t.endAddress());
                if (out.stream().noneMatch(o -> TrafficSelectors.within(icmp, o))) {
                    out.add(icmp);
                }
            }
        }
        if (extra != null) {
            TrafficSelector own = icmp(extra, extra);
            if (out.stream().noneMatch(o -> TrafficSelectors.within(own, o))) {
                out.add(own);
            }
        }
        return out;
    }

    private static TrafficSelector icmp(InetAddress start, InetAddress end) {
        TrafficSelector any = TrafficSelector.range(start, end);
        return new TrafficSelector(any.type(), any.type() == TsType.TS_IPV4_ADDR_RANGE ? ICMP : ICMPV6, 0, 65535,
                start, end);
    }

    // ---- the peer initiates -----------------------------------------------------------------------

    /** Answers a CREATE_CHILD_SA request for a new CHILD_SA (no REKEY_SA, not an IKE SA rekey). */
    IkeSa.Answer answer(IkeSa sa, IkeMessage request) {
        List<IkeTsPayload> ts = request.all(IkeTsPayload.class);
        List<TrafficSelector> tsi = ts.stream().filter(IkeTsPayload::initiator).findFirst()
                .map(IkeTsPayload::selectors).orElse(List.of());
        List<TrafficSelector> tsr = ts.stream().filter(t -> !t.initiator()).findFirst()
                .map(IkeTsPayload::selectors).orElse(List.of());
        if (!icmpOnly(tsi) || !icmpOnly(tsr)) {
            // Further CHILD_SAs for anything but ICMP are not offered (§1.3, §3.10.1).
            return notify(NotifyType.NO_ADDITIONAL_SAS);
        }
        List<ChildSa> data = children.installed().stream().filter(c -> !icmpOnly(c.localTs())).toList();
        // The peer's TSi are its side: our remote side; its TSr ours.
        if (data.isEmpty() || !TrafficSelectors.allWithin(tsi, union(data, false, sa.peer().getAddress()))
                || !TrafficSelectors.allWithin(tsr, union(data, true, ownAddress))) {
            LOG.warn("refusing an ICMP CHILD_SA {} === {}: outside the addresses of the current CHILD_SAs",
                    TrafficSelectors.describe(tsi), TrafficSelectors.describe(tsr));
            return notify(NotifyType.TS_UNACCEPTABLE);
        }
        Optional<IkeSaPayload> offer = request.first(IkeSaPayload.class);
        Optional<IkeNoncePayload> ni = request.first(IkeNoncePayload.class);
        if (offer.isEmpty() || ni.isEmpty()) {
            return notify(NotifyType.INVALID_SYNTAX);
        }
        int floor = strongest(data);
        List<EspTransform> acceptable = espTransforms.stream().filter(t -> strength(t) >= floor).toList();
        Optional<EspProposal.Selected> selected = EspProposal.select(acceptable, offer.get());
        if (selected.isEmpty()) {
            LOG.warn("refusing an ICMP CHILD_SA: no offered transform is as strong as the data SA ({} bits)", floor);
            return notify(NotifyType.NO_PROPOSAL_CHOSEN);
        }
        byte[] nr = children.freshNonce();
        int ourSpi = children.freshSpi();
        ChildSa fresh = ChildSa.derive(sa.keys.prf, sa.keys.skD, null, ni.get().nonce(), nr, false, ourSpi,
                selected.get().peerSpi(), selected.get().chosen(), tsr, tsi).withMode(data.get(0).mode());
        children.adoptAdditional(fresh, false, ni.get().nonce(), nr);
        listener.childSaInboundReady(fresh);
        LOG.info("CREATE_CHILD_SA from the peer: ICMP CHILD_SA {}", fresh);
        List<IkePayload> answer = List.of(selected.get().answer(ourSpi), new IkeNoncePayload(nr),
                new IkeTsPayload(true, tsi), new IkeTsPayload(false, tsr));
        // The peer sends on it once it has our answer: start sending too, after the answer left.
        return new IkeSa.Answer(answer, () -> listener.childSaAdded(fresh));
    }

    private static IkeSa.Answer notify(NotifyType type) {
        return IkeSa.Answer.of(List.of(IkeNotifyPayload.of(type)));
    }
}
