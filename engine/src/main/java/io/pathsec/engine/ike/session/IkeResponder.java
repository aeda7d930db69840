package io.pathsec.engine.ike.session;

import io.netty.buffer.Unpooled;
import io.pathsec.engine.ike.auth.AuthenticationFailure;
import io.pathsec.engine.ike.auth.Authenticator;
import io.pathsec.engine.ike.auth.PeerAuthHints;
import io.pathsec.engine.ike.crypto.DiffieHellman;
import io.pathsec.engine.ike.crypto.NatDetection;
import io.pathsec.engine.ike.crypto.PskAuthentication;
import io.pathsec.engine.ike.fragment.IkeFragmentPolicy;
import io.pathsec.engine.ike.message.ConfigType;
import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeAuthPayload;
import io.pathsec.engine.ike.message.IkeConfigPayload;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeIdPayload;
import io.pathsec.engine.ike.message.IkeKePayload;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNoncePayload;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.IkeProtocolException;
import io.pathsec.engine.ike.message.IkeSaPayload;
import io.pathsec.engine.ike.message.IkeTsPayload;
import io.pathsec.engine.ike.message.InvalidSyntaxException;
import io.pathsec.engine.ike.message.NotifyType;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.ike.session.IkeSessionException.Reason;
import io.pathsec.engine.policy.IpsecMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The responder side of one IKE SA (RFC 7296 §1.2), as a road-warrior gateway runs it:
 * answers IKE_SA_INIT (or asks for another group with INVALID_KE_PAYLOAD, §1.2), verifies the
 * client's AUTH in IKE_AUTH with its {@link Authenticator} (PSK or certificates), assigns a virtual address from the pool (§2.19), narrows the traffic
 * selectors (§2.9) and creates the first CHILD_SA. Never retransmits: it answers (§2.1).
 */
public final class IkeResponder {
    private static final Logger LOG = LoggerFactory.getLogger(IkeResponder.class);

    public sealed interface State permits CreateIkeRemoteIkeInit, CreateIkeRemoteIkeAuth, Established, Closed {
    }

    /** Waiting for an acceptable IKE_SA_INIT request. */
    public record CreateIkeRemoteIkeInit() implements State {
    }

    /** IKE_SA_INIT answered; waiting for IKE_AUTH. */
    public record CreateIkeRemoteIkeAuth(IkeSa sa) implements State {
    }

    public record Established(IkeSa sa, IkeSessionListener.Established info) implements State {
    }

    public record Closed(IkeSessionException cause) implements State {
    }

    private final IkeResponderConfig config;
    private final IkeScheduler scheduler;
    private final IkeTransport transport;
    private final SecureRandom random;
    private final IkeSessionListener listener;
    private State state = new CreateIkeRemoteIkeInit();

    private long spiI;
    private byte[] initRequest;
    private byte[] initResponse;
    private byte[] ni;
    private byte[] nr;
    private String leasedTo;
    private InetAddress vip6;
    private boolean peerSpeaksPathSec;
    /** The client's SIGNATURE_HASH_ALGORITHMS (IKE_SA_INIT) and CERTREQ (IKE_AUTH), RFC 7427 §4, RFC 7296 §3.7. */
    private PeerAuthHints peerAuthHints = PeerAuthHints.NONE;
    /** The IKE SA that IKE_AUTH authenticated: what {@link #extensionKey} binds to. */
    private IkeSa authenticatedSa;
    private IkeFragmentPolicy fragmentPolicy = IkeFragmentPolicy.DEFAULT;
    /** After IKE_AUTH: rekeying, CHILD_SA procedures and liveness (§1.3, §2.4, §2.8). */
    private EstablishedIkeSa establishedSa;

    public IkeResponder(IkeResponderConfig config, IkeScheduler scheduler, IkeTransport transport, SecureRandom random,
                        IkeSessionListener listener) {
        this.config = config;
        this.scheduler = scheduler;
        this.transport = transport;
        this.random = random;
        this.listener = listener;
    }

    public State state() {
        return state;
    }

    /** The client's IKE SA SPI, once an IKE_SA_INIT was accepted; else 0. */
    public long initiatorSpi() {
        return spiI;
    }

    /** Our IKE SA SPI, once IKE_SA_INIT was answered with one; else 0. */
    public long responderSpi() {
        IkeSa sa = currentSa();
        return sa == null ? 0 : sa.spiR;
    }

    /**
     * Our SPI of the current IKE SA: SPIr at first, SPIi after an IKE rekey we initiated (the
     * rekey's initiator is the new SA's initiator, RFC 7296 §2.18); else 0.
     */
    public long localSpi() {
        IkeSa sa = currentSa();
        return sa == null ? 0 : sa.weAreInitiator ? sa.spiI : sa.spiR;
    }

    /** IKE_SA_INIT answered, IKE_AUTH not yet (the "half-open" SAs of RFC 7296 §2.6). */
    public boolean halfOpen() {
        return state instanceof CreateIkeRemoteIkeAuth;
    }

    /** Whether the client sent PathSec's Vendor ID in IKE_SA_INIT ({@link PathSecVendorId}). */
    /**
     * Relays one ICMP error packet to the peer in an INFORMATIONAL exchange (the ike-relay
     * option); call on the session thread. False when not established or refused.
     */
    public boolean relayIcmp(byte[] packet) {
        return establishedSa != null && establishedSa.relayIcmp(packet);
    }

    /**
     * Negotiates the explicit ICMP CHILD_SA (draft-ietf-ipsec-icmp-options §5); call on the
     * session thread. {@code done} gets null once it is installed, else the reason.
     */
    public void createIcmpChildSa(java.util.function.Consumer<String> done) {
        if (establishedSa == null) {
            done.accept("not established");
            return;
        }
        establishedSa.icmpChild().ownAddress(config.local().getAddress());
        establishedSa.createIcmpChild(done);
    }

    public boolean peerSpeaksPathSec() {
        return peerSpeaksPathSec;
    }

    /**
     * Key material for a PathSec extension ({@link IkeSaExtensionKey}), bound to the IKE SA that
     * IKE_AUTH authenticated; empty before that. Scheduler thread only.
     */
    public java.util.Optional<IkeSaExtensionKey> extensionKey(byte[] label, int length) {
        return java.util.Optional.ofNullable(authenticatedSa).map(sa -> IkeSaExtensionKey.of(sa, ni, nr, label, length));
    }

    /** How to fragment large messages (RFC 7383); before the first datagram. Supported by default. */
    public void useFragmentation(IkeFragmentPolicy policy) {
        this.fragmentPolicy = policy;
    }

    /** Whether IKE fragmentation was negotiated for the current IKE SA (RFC 7383 §2.3). */
    public boolean fragmentationNegotiated() {
        IkeSa sa = establishedSa != null ? establishedSa.currentSa() : currentSa();
        return sa != null && sa.fragmentation.enabled();
    }

    /** One datagram from the client. Never throws; bad input is dropped (§2.21). */
    public void receive(byte[] datagram, InetSocketAddress from, boolean viaNatTraversal) {
        try {
            IkeHeader header = IkeHeader.decode(Unpooled.wrappedBuffer(datagram));
            if (establishedSa != null && header.exchangeType() != ExchangeType.IKE_SA_INIT) {
                establishedSa.receive(datagram, header, from, viaNatTraversal); // SPIs change with rekeys
                return;
            }
            if (state instanceof CreateIkeRemoteIkeInit) {
                onInitRequest(datagram, header, from, viaNatTraversal);
            } else if (header.initiatorSpi() == spiI && header.exchangeType() == ExchangeType.IKE_SA_INIT
                    && !header.response() && Arrays.equals(datagram, initRequest)) {
                transport.send(initResponse, from, viaNatTraversal); // a repeated request (§2.1)
            } else if (currentSa() != null && header.initiatorSpi() == spiI
                    && header.responderSpi() == currentSa().spiR) {
                currentSa().receive(datagram, header, from, viaNatTraversal);
            }
        } catch (IkeProtocolException e) {
            LOG.debug("dropping a malformed message from {}: {}", from, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("dropping a message from {} that could not be processed", from, e);
        }
    }

    private void onInitRequest(byte[] datagram, IkeHeader header, InetSocketAddress from, boolean natT)
            throws IkeProtocolException {
        if (header.exchangeType() != ExchangeType.IKE_SA_INIT || header.response() || header.messageId() != 0
                || header.responderSpi() != 0) {
            return;
        }
        IkeMessage request = IkeMessage.decode(datagram);
        Optional<IkeSaPayload> sa = request.first(IkeSaPayload.class);
        Optional<IkeKePayload> ke = request.first(IkeKePayload.class);
        Optional<IkeNoncePayload> nonce = request.first(IkeNoncePayload.class);
        if (sa.isEmpty() || ke.isEmpty() || nonce.isEmpty()) {
            return;
        }
        Optional<IkeSuite.Chosen> chosen = IkeSuite.select(config.ikeSuites(), sa.get(), ke.get().dhGroup());
        if (chosen.isEmpty()) {
            answerInit(header, List.of(IkeNotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN)), 0, from, natT);
            return;
        }
        DhGroup group = chosen.get().dhGroup();
        if (group.value() != ke.get().dhGroup()) {
            // §1.2: tell the initiator which group to use; no state is kept until it does.
            answerInit(header, List.of(IkeNotifyPayload.invalidKePayload(group)), 0, from, natT);
            return;
        }
        DiffieHellman dh = DiffieHellman.generate(group, random);
        byte[] shared;
        try {
            shared = dh.sharedSecret(ke.get().keyExchangeData());
        } catch (InvalidSyntaxException e) {
            answerInit(header, List.of(IkeNotifyPayload.of(NotifyType.INVALID_SYNTAX)), 0, from, natT);
            return;
        }
        spiI = header.initiatorSpi();
        long spiR;
        do {
            spiR = random.nextLong();
        } while (spiR == 0);
        ni = nonce.get().nonce();
        nr = new byte[IkeConstants.NONCE_LENGTH];
        random.nextBytes(nr);
        peerSpeaksPathSec = PathSecVendorId.presentIn(request);
        peerAuthHints = PeerAuthHints.NONE.with(request);
        boolean fragmentation = fragmentPolicy.supported() && IkeSaFragmentation.announcedIn(request);
        List<IkePayload> payloads = new ArrayList<>(List.of(
                new IkeSaPayload(List.of(chosen.get().toProposal(sa.get().proposals().stream()
                        .filter(p -> p.protocolId() == io.pathsec.engine.ike.message.ProtocolId.IKE)
                        .findFirst().orElseThrow().number()))),
                new IkeKePayload(group.value(), dh.publicValue()),
                new IkeNoncePayload(nr),
                IkeNotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP,
                        NatDetection.hash(spiI, spiR, config.local().getAddress(), config.local().getPort())),
                IkeNotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP,
                        NatDetection.hash(spiI, spiR, from.getAddress(), from.getPort()))));
        if (fragmentation) {
            payloads.add(IkeSaFragmentation.announcement()); // RFC 7383 §2.3
        }
        payloads.add(PathSecVendorId.payload());
        payloads.addAll(config.authenticator().initPayloads());
        payloads.addAll(config.authenticator().certificateRequests()); // §1.2: [CERTREQ] in the answer
        initRequest = datagram.clone();
        initResponse = answerInit(header, payloads, spiR, from, natT);
        IkeSaKeys keys = IkeSaKeys.derive(chosen.get(), ni, nr, shared, spiI, spiR, false, random);
        Arrays.fill(shared, (byte) 0);
        IkeSa ikeSa = new IkeSa(spiI, spiR, false, keys, scheduler, transport, owner(), from, natT, 0, 1);
        if (fragmentation) {
            ikeSa.fragmentation.enable(fragmentPolicy);
        }
        state = new CreateIkeRemoteIkeAuth(ikeSa);
        LOG.info("IKE_SA_INIT from {}: {} (SPIr {})", from, chosen.get(), IkeInitiator.spiHex(spiR));
    }

    private byte[] answerInit(IkeHeader request, List<IkePayload> payloads, long spiR, InetSocketAddress to, boolean natT) {
        IkeHeader h = new IkeHeader(request.initiatorSpi(), spiR, 0, ExchangeType.IKE_SA_INIT, false, false, true, 0, 0);
        byte[] bytes = new IkeMessage(h, payloads).toBytes();
        transport.send(bytes, to, natT);
        return bytes;
    }

    /** Answers IKE_AUTH (§1.2): AUTH check, then CP, SA and narrowed TS for the first CHILD_SA. */
    private List<IkePayload> onAuthRequest(IkeSa sa, IkeMessage request, InetSocketAddress from) {
        if (!(state instanceof CreateIkeRemoteIkeAuth)) {
            return null;
        }
        Optional<IkeIdPayload> idi = request.first(IkeIdPayload.class).filter(IkeIdPayload::initiator);
        Optional<IkeAuthPayload> auth = request.first(IkeAuthPayload.class);
        if (idi.isEmpty() || auth.isEmpty()) {
            closeWith(sa, Reason.PROTOCOL_ERROR, "IKE_AUTH without IDi or AUTH");
            return List.of(IkeNotifyPayload.of(NotifyType.INVALID_SYNTAX));
        }
        byte[] signed = PskAuthentication.signedOctets(sa.keys.prf, initRequest, nr, sa.keys.skPi, idi.get());
        peerAuthHints = peerAuthHints.with(request);
        try {
            config.authenticator().verify(sa.keys.prf, signed, request, idi.get(), "client");
        } catch (AuthenticationFailure f) {
            LOG.warn("IKE_AUTH from {} as {}: {}", from, IkeIdentity.describe(idi.get()), f.getMessage());
            IkeSessionException e = IkeSessionException.of(f);
            closeWith(sa, e.reason(), e.getMessage());
            return List.of(IkeNotifyPayload.of(NotifyType.AUTHENTICATION_FAILED)); // §2.21.2: no more detail
        }
        String peerId = IkeIdentity.describe(idi.get());
        IkeIdPayload idr = config.localIdentity().payload(false);
        byte[] ourSigned = PskAuthentication.signedOctets(sa.keys.prf, initResponse, ni, sa.keys.skPr, idr);
        Authenticator.Proof proof = config.authenticator().prove(sa.keys.prf, ourSigned, peerAuthHints);
        List<IkePayload> answer = new ArrayList<>();
        answer.add(idr); // §1.2: IDr, [CERT,] AUTH
        answer.addAll(proof.certificates());
        answer.add(proof.auth());
        // From here on the IKE SA stands; CHILD_SA problems are notified without tearing it down (§1.2).
        InetAddress vip = null;
        Optional<IkeConfigPayload> cp = request.first(IkeConfigPayload.class)
                .filter(c -> c.configType() == ConfigType.CFG_REQUEST);
        if (cp.isPresent() && ConfigurationReply.asksForAddress(cp.get())) {
            ConfigurationReply.Answer assigned = ConfigurationReply.answer(cp.get(), config.pool(), peerId, config.dns(),
                    config.localTs());
            if (assigned.payload() == null) {
                answer.add(IkeNotifyPayload.of(NotifyType.INTERNAL_ADDRESS_FAILURE));
                return established(sa, peerId, answer, null, null);
            }
            leasedTo = peerId;
            vip = assigned.ipv4();
            vip6 = assigned.ipv6();
            answer.add(assigned.payload());
        }
        Optional<EspProposal.Selected> esp = request.first(IkeSaPayload.class)
                .flatMap(p -> EspProposal.select(config.espTransforms(), p));
        Optional<IkeTsPayload> tsi = request.all(IkeTsPayload.class).stream().filter(IkeTsPayload::initiator).findFirst();
        Optional<IkeTsPayload> tsr = request.all(IkeTsPayload.class).stream().filter(t -> !t.initiator()).findFirst();
        if (esp.isEmpty()) {
            answer.add(IkeNotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
            return established(sa, peerId, answer, null, vip);
        }
        // Narrowing (§2.9): the client side becomes its virtual address (or what it asked for),
        // our side what our selectors (protected networks, with protocol and ports when the
        // profile narrows them) share with its TSr.
        List<TrafficSelector> narrowedTsi = vip != null || vip6 != null ? virtualSelectors(vip, vip6, tsi)
                : tsi.map(IkeTsPayload::selectors).orElse(List.of());
        List<TrafficSelector> narrowedTsr = tsr.isEmpty() ? List.of()
                : TrafficSelectors.narrow(config.localTs(), tsr.get().selectors());
        if (narrowedTsi.isEmpty() || narrowedTsr.isEmpty() || ((vip != null || vip6 != null) && tsi.isPresent()
                && !TrafficSelectors.allWithin(narrowedTsi, tsi.get().selectors()))) {
            answer.add(IkeNotifyPayload.of(NotifyType.TS_UNACCEPTABLE));
            return established(sa, peerId, answer, null, vip);
        }
        int ourSpi;
        do {
            ourSpi = random.nextInt();
        } while (Integer.compareUnsigned(ourSpi, 256) < 0);
        IpsecMode mode = grantTransportMode(request, narrowedTsi, narrowedTsr, from) ? IpsecMode.TRANSPORT
                : IpsecMode.TUNNEL;
        ChildSa child = ChildSa.derive(sa.keys.prf, sa.keys.skD, ni, nr, false, ourSpi, esp.get().peerSpi(),
                esp.get().chosen(), narrowedTsr, narrowedTsi).withMode(mode);
        sa.addChild(child);
        if (mode == IpsecMode.TRANSPORT) {
            answer.add(IkeNotifyPayload.of(NotifyType.USE_TRANSPORT_MODE)); // §1.3.1: the answer repeats it
        }
        answer.add(esp.get().answer(ourSpi));
        answer.add(new IkeTsPayload(true, narrowedTsi));
        answer.add(new IkeTsPayload(false, narrowedTsr));
        return established(sa, peerId, answer, child, vip);
    }

    /**
     * §2.9: the client's side narrowed to its virtual addresses; an address whose family the
     * client's TSi does not cover is left out, so that TSi still only narrows.
     */
    private static List<TrafficSelector> virtualSelectors(InetAddress vip, InetAddress vip6, Optional<IkeTsPayload> tsi) {
        List<TrafficSelector> out = new ArrayList<>();
        for (InetAddress a : new InetAddress[] {vip, vip6}) {
            if (a == null) {
                continue;
            }
            TrafficSelector single = TrafficSelectors.single(a);
            if (tsi.isEmpty()) {
                out.add(single);
            } else {
                // The address narrowed to the virtual one; a protocol and ports the client asked
                // for are kept (an intersection only narrows).
                TrafficSelectors.narrow(List.of(single), tsi.get().selectors()).stream()
                        .filter(x -> !out.contains(x)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * §1.3.1: transport mode when the client asks for it, our configuration allows it, and the
     * traffic selectors are exactly the two IKE endpoints (host-to-host); else tunnel mode, which
     * the client must accept or delete.
     */
    private boolean grantTransportMode(IkeMessage request, List<TrafficSelector> tsi, List<TrafficSelector> tsr,
                                       InetSocketAddress from) {
        boolean requested = request.all(IkeNotifyPayload.class).stream()
                .anyMatch(n -> n.notifyType() == NotifyType.USE_TRANSPORT_MODE.value());
        if (!requested) {
            return false;
        }
        if (!config.allowTransportMode()) {
            LOG.info("{} asks for transport mode; this gateway allows tunnel mode only", from);
            return false;
        }
        boolean hostToHost = tsi.equals(List.of(TrafficSelectors.single(from.getAddress())))
                && tsr.equals(List.of(TrafficSelectors.single(config.local().getAddress())));
        if (!hostToHost) {
            LOG.info("{} asks for transport mode, but the selectors {} === {} are not the two hosts; tunnel mode",
                    from, TrafficSelectors.describe(tsi), TrafficSelectors.describe(tsr));
        }
        return hostToHost;
    }

    private List<IkePayload> established(IkeSa sa, String peerId, List<IkePayload> answer, ChildSa child,
                                         InetAddress vip) {
        IkeSessionListener.Established info = new IkeSessionListener.Established(peerId, sa.keys.suite,
                config.local(), sa.peer(), sa.natTraversal(), child, vip, List.of(), vip6, List.of());
        authenticatedSa = sa;
        state = new Established(sa, info);
        establishedSa = new EstablishedIkeSa(sa, child, scheduler, transport, random, listener, config.timers(),
                config.ikeSuites(), config.espTransforms(), null, "client", establishedOwner());
        establishedSa.icmpChild().ownAddress(config.local().getAddress());
        LOG.info("IKE SA with {} at {} established; {}", peerId, sa.peer(), child == null ? "no CHILD_SA" : child);
        // Reported after the answer is on its way: the listener may install SAs (slow).
        scheduler.execute(() -> listener.established(info));
        return answer;
    }

    private void closeWith(IkeSa sa, Reason reason, String message) {
        IkeSessionException cause = new IkeSessionException(reason, message);
        state = new Closed(cause);
        // The answer still has to leave through the SA; close it right after.
        scheduler.execute(() -> {
            sa.close();
            listener.closed(cause);
        });
    }

    EstablishedIkeSa established() {
        return establishedSa;
    }

    /** DPLPMTUD probes over this session's current IKE SA ({@link IkeProbeLayer}); call on the session thread. */
    public IkeProbeLayer probeLayer() {
        return new IkeProbeLayer(scheduler, () -> establishedSa == null ? null : establishedSa.currentSa());
    }

    private EstablishedIkeSa.Owner establishedOwner() {
        return new EstablishedIkeSa.Owner() {
            @Override
            public void ikeSaReplaced(IkeSa sa) {
                if (state instanceof Established e) {
                    state = new Established(sa, e.info());
                }
            }

            @Override
            public void ended(IkeSessionException cause) {
                if (state instanceof Closed) {
                    return;
                }
                if (leasedTo != null) {
                    config.pool().release(leasedTo);
                }
                state = new Closed(cause);
                listener.closed(cause);
            }
        };
    }

    private IkeSa.Owner owner() {
        return new IkeSa.Owner() {
            @Override
            public List<IkePayload> handleSetupRequest(IkeMessage request, InetSocketAddress from) {
                IkeSa sa = currentSa();
                return sa == null ? null : onAuthRequest(sa, request, from);
            }

            @Override
            public void childSaDeletedByPeer(ChildSa child) {
                listener.childSaDeleted(child);
            }

            @Override
            public void ikeSaDeletedByPeer() {
                IkeSa sa = currentSa();
                if (sa != null) {
                    sa.close();
                }
                if (leasedTo != null) {
                    config.pool().release(leasedTo);
                    leasedTo = null;
                }
                state = new Closed(new IkeSessionException(Reason.PEER_DELETED, "the client deleted the IKE SA"));
                listener.closed(((Closed) state).cause());
            }
        };
    }

    /**
     * Ends the session from the gateway's side: an established IKE SA is deleted (§1.4.1, the
     * answer is not waited for), a half-open one is forgotten. Reports {@code closed(null)}.
     */
    public void close() {
        if (state instanceof Closed) {
            return;
        }
        IkeSa sa = currentSa();
        if (establishedSa != null) {
            establishedSa.delete(); // its answer still reaches it: receive() routes to it (§1.4.1)
        } else if (sa != null) {
            sa.close();
        }
        if (leasedTo != null) {
            config.pool().release(leasedTo);
            leasedTo = null;
        }
        state = new Closed(null);
        listener.closed(null);
    }

    private IkeSa currentSa() {
        if (state instanceof CreateIkeRemoteIkeAuth a) {
            return a.sa();
        }
        if (state instanceof Established e) {
            return e.sa();
        }
        return null;
    }
}
