package io.pathsec.engine.ike.session;

import io.netty.buffer.Unpooled;
import io.pathsec.engine.ike.auth.AuthenticationFailure;
import io.pathsec.engine.ike.auth.Authenticator;
import io.pathsec.engine.ike.auth.PeerAuthHints;
import io.pathsec.engine.ike.crypto.DiffieHellman;
import io.pathsec.engine.ike.crypto.NatDetection;
import io.pathsec.engine.ike.crypto.PskAuthentication;
import io.pathsec.engine.ike.fragment.IkeFragmentPolicy;
import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeAuthPayload;
import io.pathsec.engine.ike.message.IkeDeletePayload;
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
import java.util.List;
import java.util.Optional;

/**
 * The initiator of an IKE SA (RFC 7296 §1.2), authenticated by its {@link Authenticator}: IKE_SA_INIT, then IKE_AUTH
 * with the first CHILD_SA and, for a road warrior, a configuration request (§2.19); then it
 * answers liveness checks and deletes until {@link #close()}.
 *
 * <p>Its states are named after the procedure they run. Every method runs on the scheduler's
 * thread; a datagram that does not decode or fit is dropped and never ends the session.
 */
public final class IkeInitiator {
    private static final Logger LOG = LoggerFactory.getLogger(IkeInitiator.class);

    /** Where the setup stands. */
    public sealed interface State permits Idle, CreateIkeLocalIkeInit, CreateIkeLocalIkeAuth, Established,
            DeleteIkeLocalDelete, Closed {
    }

    public record Idle() implements State {
    }

    /**
     * IKE_SA_INIT sent, answer awaited. {@code restarts} counts INVALID_KE_PAYLOAD and COOKIE
     * restarts (§1.2, §2.6); each restart sends a new request with message ID 0.
     */
    public record CreateIkeLocalIkeInit(DiffieHellman dh, byte[] cookie, byte[] request, int restarts)
            implements State {
    }

    /** IKE_AUTH sent over the new IKE SA. */
    public record CreateIkeLocalIkeAuth(IkeSa sa) implements State {
    }

    public record Established(IkeSa sa, IkeSessionListener.Established info) implements State {
    }

    /** Our Delete of the IKE SA is in flight (§1.4.1). */
    public record DeleteIkeLocalDelete(IkeSa sa) implements State {
    }

    /** @param cause null after a local close */
    public record Closed(IkeSessionException cause) implements State {
    }

    private final IkeInitiatorConfig config;
    private final IkeScheduler scheduler;
    private final IkeTransport transport;
    private final SecureRandom random;
    private final IkeSessionListener listener;

    private final long spiI;
    private final byte[] ni;
    private State state = new Idle();
    private Retransmission initRetransmission;
    /** Kept for AUTH (§2.15): RealMessage1 is our last IKE_SA_INIT request, RealMessage2 its answer. */
    private byte[] realMessage1;
    private byte[] realMessage2;
    private byte[] nr;
    private int inboundSpi;
    private List<TrafficSelector> proposedTsi;
    private List<TrafficSelector> proposedTsr;
    private boolean peerSpeaksPathSec;
    /** The gateway's SIGNATURE_HASH_ALGORITHMS and CERTREQ from its IKE_SA_INIT answer (RFC 7427 §4, §3.7). */
    private PeerAuthHints peerAuthHints = PeerAuthHints.NONE;
    /** The IKE SA that IKE_AUTH authenticated: what {@link #extensionKey} binds to. */
    private IkeSa authenticatedSa;
    private IkeFragmentPolicy fragmentPolicy = IkeFragmentPolicy.DEFAULT;
    private boolean requestIpv6;
    /** Our own address was translated (§2.23): we keep the NAT mapping alive. */
    private volatile boolean behindNat;
    private NatKeepalive natKeepalive;
    /** After IKE_AUTH: rekeying, CHILD_SA procedures and liveness (§1.3, §2.4, §2.8). */
    private EstablishedIkeSa established;

    public IkeInitiator(IkeInitiatorConfig config, IkeScheduler scheduler, IkeTransport transport, SecureRandom random,
                        IkeSessionListener listener) {
        this.config = config;
        this.scheduler = scheduler;
        this.transport = transport;
        this.random = random;
        this.listener = listener;
        long spi;
        do {
            spi = random.nextLong();
        } while (spi == 0);
        this.spiI = spi;
        this.ni = new byte[IkeConstants.NONCE_LENGTH];
        random.nextBytes(ni);
    }

    public State state() {
        return state;
    }

    public long initiatorSpi() {
        return spiI;
    }

    /** Whether the gateway sent PathSec's Vendor ID in its IKE_SA_INIT answer ({@link PathSecVendorId}). */
    /**
     * Relays one ICMP error packet to the peer in an INFORMATIONAL exchange (the ike-relay
     * option); call on the session thread. False when not established or refused.
     */
    public boolean relayIcmp(byte[] packet) {
        return established != null && established.relayIcmp(packet);
    }

    /**
     * Negotiates the explicit ICMP CHILD_SA (draft-ietf-ipsec-icmp-options §5); call on the
     * session thread. {@code done} gets null once it is installed, else the reason.
     */
    public void createIcmpChildSa(java.util.function.Consumer<String> done) {
        if (established == null) {
            done.accept("not established");
            return;
        }
        established.icmpChild().ownAddress(config.local().getAddress());
        established.createIcmpChild(done);
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

    /** How to fragment large messages (RFC 7383); call before {@link #start()}. Supported by default. */
    public void useFragmentation(IkeFragmentPolicy policy) {
        this.fragmentPolicy = policy;
    }

    /**
     * With a virtual address requested: also ask for INTERNAL_IP6_ADDRESS and propose IPv6
     * selectors (RFC 7296 §2.19, §3.15.1). Call before {@link #start()}.
     */
    public void requestVirtualIp6(boolean on) {
        this.requestIpv6 = on;
    }

    /**
     * The outer path MTU towards the gateway as learnt (classic PMTUD, DPLPMTUD, TCP-MSS): IKE
     * fragments are sized from it unless the profile sets a fragment size (RFC 7383 §2.5.1).
     * Scheduler thread only.
     */
    public void outerPathMtu(int mtu) {
        IkeSa sa = established != null ? established.currentSa() : currentSa();
        if (sa != null) {
            sa.fragmentation.pathMtu(mtu); // a rekeyed IKE SA inherits it
        }
    }

    /** Whether IKE fragmentation was negotiated for the current IKE SA (RFC 7383 §2.3). */
    public boolean fragmentationNegotiated() {
        IkeSa sa = established != null ? established.currentSa() : currentSa();
        return sa != null && sa.fragmentation.enabled();
    }

    /** Sends the first IKE_SA_INIT request with our most preferred DH group. */
    public void start() {
        if (!(state instanceof Idle)) {
            throw new IllegalStateException("already started: " + state.getClass().getSimpleName());
        }
        DhGroup group = config.ikeSuites().get(0).dhGroups().get(0);
        sendInit(DiffieHellman.generate(group, random), null, 0);
    }

    // ---- IKE_SA_INIT ------------------------------------------------------------------------------

    private void sendInit(DiffieHellman dh, byte[] cookie, int restarts) {
        List<IkePayload> payloads = new ArrayList<>();
        if (cookie != null) {
            payloads.add(IkeNotifyPayload.of(NotifyType.COOKIE, cookie)); // first payload (§2.6)
        }
        payloads.add(IkeSuite.offer(config.ikeSuites()));
        payloads.add(new IkeKePayload(dh.group().value(), dh.publicValue()));
        payloads.add(new IkeNoncePayload(ni));
        // §2.23: hashes of our address and port and of the gateway's, with SPIr still zero.
        payloads.add(IkeNotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP,
                NatDetection.hash(spiI, 0, config.local().getAddress(), config.local().getPort())));
        payloads.add(IkeNotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP,
                NatDetection.hash(spiI, 0, config.gateway().getAddress(), config.gateway().getPort())));
        if (fragmentPolicy.supported()) {
            payloads.add(IkeSaFragmentation.announcement()); // RFC 7383 §2.3
        }
        payloads.addAll(config.authenticator().initPayloads());
        payloads.add(PathSecVendorId.payload());
        IkeHeader header = new IkeHeader(spiI, 0, 0, ExchangeType.IKE_SA_INIT, true, false, false, 0, 0);
        byte[] request = new IkeMessage(header, payloads).toBytes();
        if (initRetransmission != null) {
            initRetransmission.cancel();
        }
        state = new CreateIkeLocalIkeInit(dh, cookie, request, restarts);
        LOG.info("IKE_SA_INIT to {} (SPIi {}, KE {})", config.gateway(), spiHex(spiI), dh.group());
        listener.setupExchangeSent(IkeSessionListener.SetupExchange.IKE_SA_INIT,
                "IKE_SA_INIT to " + config.gateway().getAddress().getHostAddress() + ":"
                        + config.gateway().getPort() + " (KE " + dh.group() + ")");
        initRetransmission = new Retransmission(scheduler, transport, request, config.gateway(), false,
                IkeConstants.RETRANSMIT_SENDS, () -> fail(Reason.TIMEOUT, "the gateway " + config.gateway()
                        + " did not answer IKE_SA_INIT (" + IkeConstants.RETRANSMIT_SENDS + " tries)"));
        initRetransmission.start();
    }

    /**
     * One datagram from the network (non-ESP marker already removed). Never throws.
     *
     * @param viaNatTraversal it arrived on port 4500
     */
    public void receive(byte[] datagram, InetSocketAddress from, boolean viaNatTraversal) {
        try {
            IkeHeader header = IkeHeader.decode(Unpooled.wrappedBuffer(datagram));
            if (established != null) {
                established.receive(datagram, header, from, viaNatTraversal); // SPIs change with rekeys
                return;
            }
            if (header.initiatorSpi() != spiI) {
                LOG.debug("dropping a message for another IKE SA");
                return;
            }
            if (state instanceof CreateIkeLocalIkeInit init) {
                onInitResponse(init, datagram, header);
            } else if (currentSa() != null) {
                forward(currentSa(), datagram, header, from, viaNatTraversal);
            } else {
                LOG.debug("dropping a message in state {}", state.getClass().getSimpleName());
            }
        } catch (IkeProtocolException e) {
            LOG.debug("dropping a malformed message from {}: {}", from, e.getMessage());
        } catch (RuntimeException e) {
            // A bug must not take the session down with one bad datagram.
            LOG.warn("dropping a message from {} that could not be processed", from, e);
        }
    }

    private static void forward(IkeSa sa, byte[] datagram, IkeHeader header, InetSocketAddress from, boolean natT) {
        if (header.responderSpi() == sa.spiR) {
            sa.receive(datagram, header, from, natT);
        }
    }

    private void onInitResponse(CreateIkeLocalIkeInit init, byte[] datagram, IkeHeader header)
            throws IkeProtocolException {
        if (header.exchangeType() != ExchangeType.IKE_SA_INIT || !header.response() || header.messageId() != 0) {
            return;
        }
        IkeMessage response = IkeMessage.decode(datagram);
        Optional<IkeNotifyPayload> cookie = notify(response, NotifyType.COOKIE);
        if (cookie.isPresent()) {
            restart(init, () -> sendInit(init.dh(), cookie.get().data(), init.restarts() + 1), "COOKIE");
            return;
        }
        Optional<IkeNotifyPayload> invalidKe = notify(response, NotifyType.INVALID_KE_PAYLOAD);
        if (invalidKe.isPresent()) {
            int wanted = invalidKe.get().acceptedDhGroup();
            Optional<DhGroup> group = DhGroup.fromValue(wanted).filter(this::offered);
            if (group.isEmpty() || group.get() == init.dh().group()) {
                fail(Reason.NO_PROPOSAL_CHOSEN, "the gateway wants Diffie-Hellman group " + wanted
                        + ", which we do not offer");
                return;
            }
            LOG.info("the gateway asks for {} instead of {} (INVALID_KE_PAYLOAD, §1.2)", group.get(), init.dh().group());
            restart(init, () -> sendInit(DiffieHellman.generate(group.get(), random), init.cookie(),
                    init.restarts() + 1), "INVALID_KE_PAYLOAD");
            return;
        }
        Optional<IkeNotifyPayload> error = response.all(IkeNotifyPayload.class).stream()
                .filter(IkeNotifyPayload::isError).findFirst();
        if (error.isPresent()) {
            failOnErrorNotify(error.get(), "IKE_SA_INIT");
            return;
        }
        if (header.responderSpi() == 0) {
            return; // §2.6 allows only cookie or error answers with SPIr 0; anything else is bogus
        }
        Optional<IkeSuite.Chosen> chosen = response.first(IkeSaPayload.class)
                .flatMap(sa -> IkeSuite.acceptAnswer(config.ikeSuites(), sa));
        Optional<IkeKePayload> ke = response.first(IkeKePayload.class);
        Optional<IkeNoncePayload> nonce = response.first(IkeNoncePayload.class);
        if (chosen.isEmpty() || ke.isEmpty() || nonce.isEmpty()
                || chosen.get().dhGroup() != init.dh().group() || ke.get().dhGroup() != init.dh().group().value()) {
            fail(Reason.PROTOCOL_ERROR, "the gateway's IKE_SA_INIT answer lacks SA, KE or Nonce, or chose"
                    + " something we did not offer");
            return;
        }
        byte[] shared;
        try {
            shared = init.dh().sharedSecret(ke.get().keyExchangeData());
        } catch (InvalidSyntaxException e) {
            fail(Reason.PROTOCOL_ERROR, "the gateway's key exchange value is invalid: " + e.getMessage());
            return;
        }
        initRetransmission.cancel();
        peerSpeaksPathSec = PathSecVendorId.presentIn(response);
        peerAuthHints = PeerAuthHints.NONE.with(response);
        realMessage1 = init.request();
        realMessage2 = datagram.clone();
        nr = nonce.get().nonce();
        long spiR = header.responderSpi();
        IkeSaKeys keys = IkeSaKeys.derive(chosen.get(), ni, nr, shared, spiI, spiR, true, random);
        java.util.Arrays.fill(shared, (byte) 0);
        // §2.23: a peer that sent NAT_DETECTION payloads speaks NAT-T; we then move to port 4500
        // whether or not a NAT was seen, since our ESP is always UDP-encapsulated (RFC 3948).
        boolean natT = notify(response, NotifyType.NAT_DETECTION_SOURCE_IP).isPresent();
        boolean natSeen = natT && natDetected(response, spiR);
        behindNat = natT && !localHashMatches(response, spiR);
        InetSocketAddress peer = natT
                ? new InetSocketAddress(config.gateway().getAddress(), IkeConstants.NAT_T_PORT) : config.gateway();
        LOG.info("IKE_SA_INIT done: SPIr {}, {}, NAT {}, continuing on port {}", spiHex(spiR), chosen.get(),
                natSeen ? "detected" : "not detected", peer.getPort());
        IkeSa sa = new IkeSa(spiI, spiR, true, keys, scheduler, transport, owner(), peer, natT, 1, 0);
        if (fragmentPolicy.supported() && IkeSaFragmentation.announcedIn(response)) {
            sa.fragmentation.enable(fragmentPolicy);
        }
        state = new CreateIkeLocalIkeAuth(sa);
        listener.setupExchangeSent(IkeSessionListener.SetupExchange.IKE_AUTH, "IKE_AUTH to "
                + peer.getAddress().getHostAddress() + ":" + peer.getPort() + " ("
                + chosen.get() + ", NAT " + (natSeen ? "detected" : "not detected") + ")");
        sendAuth(sa);
    }

    private boolean offered(DhGroup g) {
        return config.ikeSuites().stream().anyMatch(s -> s.dhGroups().contains(g));
    }

    private void restart(CreateIkeLocalIkeInit init, Runnable resend, String why) {
        if (init.restarts() >= IkeConstants.MAX_INIT_RESTARTS) {
            fail(Reason.PROTOCOL_ERROR, "the gateway keeps answering IKE_SA_INIT with " + why);
            return;
        }
        resend.run();
    }

    /** Whether the peer saw our address and port as we know them (NAT_DETECTION_DESTINATION_IP, §2.23). */
    private boolean localHashMatches(IkeMessage response, long spiR) {
        byte[] expected = NatDetection.hash(spiI, spiR, config.local().getAddress(), config.local().getPort());
        return notify(response, NotifyType.NAT_DETECTION_DESTINATION_IP)
                .map(n -> java.util.Arrays.equals(n.data(), expected)).orElse(false);
    }

    /** Whether NAT-keepalives are being sent (we are behind a NAT, RFC 3948 §4). */
    public boolean behindNat() {
        return behindNat;
    }

    /** Whether either NAT_DETECTION hash differs from what we compute (§2.23). */
    private boolean natDetected(IkeMessage response, long spiR) {
        byte[] expectedDst = NatDetection.hash(spiI, spiR, config.local().getAddress(), config.local().getPort());
        byte[] expectedSrc = NatDetection.hash(spiI, spiR, config.gateway().getAddress(), config.gateway().getPort());
        boolean dstOk = notify(response, NotifyType.NAT_DETECTION_DESTINATION_IP)
                .map(n -> java.util.Arrays.equals(n.data(), expectedDst)).orElse(false);
        boolean srcOk = response.all(IkeNotifyPayload.class).stream()
                .filter(n -> n.notifyType() == NotifyType.NAT_DETECTION_SOURCE_IP.value())
                .anyMatch(n -> java.util.Arrays.equals(n.data(), expectedSrc));
        return !dstOk || !srcOk;
    }

    // ---- IKE_AUTH ---------------------------------------------------------------------------------

    private void sendAuth(IkeSa sa) {
        IkeIdPayload idi = config.localIdentity().payload(true);
        byte[] signed = PskAuthentication.signedOctets(sa.keys.prf, realMessage1, nr, sa.keys.skPi, idi);
        Authenticator.Proof proof = config.authenticator().prove(sa.keys.prf, signed, peerAuthHints);
        inboundSpi = newEspSpi();
        boolean ipv6 = config.requestVirtualIp() && requestIpv6;
        proposedTsi = !config.requestVirtualIp() ? List.of(TrafficSelectors.single(config.local().getAddress()))
                : ipv6 ? List.of(TrafficSelectors.allIpv4(), TrafficSelectors.allIpv6()) : List.of(TrafficSelectors.allIpv4());
        proposedTsr = !config.remoteTs().isEmpty() ? config.remoteTs()
                : ipv6 ? List.of(TrafficSelectors.allIpv4(), TrafficSelectors.allIpv6()) : List.of(TrafficSelectors.allIpv4());
        List<IkePayload> payloads = new ArrayList<>();
        payloads.add(idi); // §1.2: IDi, [CERT,] [CERTREQ,] [IDr,] AUTH
        payloads.addAll(proof.certificates());
        payloads.addAll(config.authenticator().certificateRequests());
        payloads.add(IkeNotifyPayload.of(NotifyType.INITIAL_CONTACT));
        if (config.remoteIdentity() != null) {
            payloads.add(config.remoteIdentity().payload(false));
        }
        payloads.add(proof.auth());
        if (config.mode().wantsTransport()) {
            payloads.add(IkeNotifyPayload.of(NotifyType.USE_TRANSPORT_MODE)); // §1.3.1
        }
        if (config.requestVirtualIp()) {
            payloads.add(ConfigurationRequest.payload(ipv6));
        }
        payloads.add(EspProposal.offer(config.espTransforms(), inboundSpi));
        payloads.add(new IkeTsPayload(true, proposedTsi));
        payloads.add(new IkeTsPayload(false, proposedTsr));
        LOG.info("IKE_AUTH as {} (CHILD_SA SPI 0x{}, TSi {}, TSr {})", config.localIdentity(),
                Integer.toHexString(inboundSpi), TrafficSelectors.describe(proposedTsi), TrafficSelectors.describe(proposedTsr));
        sa.sendRequest(ExchangeType.IKE_AUTH, payloads, new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
                onAuthResponse(sa, response);
            }

            @Override
            public void onTimeout() {
                fail(Reason.TIMEOUT, "the gateway " + sa.peer() + " did not answer IKE_AUTH ("
                        + IkeConstants.RETRANSMIT_SENDS + " tries)");
            }
        });
    }

    private int newEspSpi() {
        int spi;
        do {
            spi = random.nextInt();
        } while (Integer.compareUnsigned(spi, 256) < 0); // 0-255 are reserved (RFC 4303 §2.1)
        return spi;
    }

    private void onAuthResponse(IkeSa sa, IkeMessage response) {
        if (!(state instanceof CreateIkeLocalIkeAuth)) {
            return;
        }
        if (notify(response, NotifyType.AUTHENTICATION_FAILED).isPresent()) {
            fail(Reason.AUTHENTICATION_FAILED, config.authenticator().rejectedByPeer("gateway"));
            return;
        }
        Optional<IkeIdPayload> idr = response.first(IkeIdPayload.class).filter(id -> !id.initiator());
        Optional<IkeAuthPayload> auth = response.first(IkeAuthPayload.class);
        if (idr.isEmpty() || auth.isEmpty()) {
            Optional<IkeNotifyPayload> error = response.all(IkeNotifyPayload.class).stream()
                    .filter(IkeNotifyPayload::isError).findFirst();
            if (error.isPresent()) {
                failOnErrorNotify(error.get(), "IKE_AUTH");
            } else {
                fail(Reason.PROTOCOL_ERROR, "the gateway's IKE_AUTH answer has no IDr or AUTH");
            }
            return;
        }
        if (config.remoteIdentity() != null && !config.remoteIdentity().matches(idr.get())) {
            deleteAndFail(sa, Reason.AUTHENTICATION_FAILED, "authentication failed: the gateway identified as "
                    + IkeIdentity.describe(idr.get()) + ", expected " + config.remoteIdentity());
            return;
        }
        byte[] signed = PskAuthentication.signedOctets(sa.keys.prf, realMessage2, ni, sa.keys.skPr, idr.get());
        try {
            config.authenticator().verify(sa.keys.prf, signed, response, idr.get(), "gateway");
        } catch (AuthenticationFailure f) {
            IkeSessionException e = IkeSessionException.of(f);
            deleteAndFail(sa, e.reason(), e.getMessage());
            return;
        }
        // The IKE SA is authenticated; the CHILD_SA may still have failed (§1.2, §2.21.3).
        Optional<IkeNotifyPayload> childError = response.all(IkeNotifyPayload.class).stream()
                .filter(IkeNotifyPayload::isError).findFirst();
        if (childError.isPresent()) {
            IkeSessionException e = errorFor(childError.get(), "IKE_AUTH");
            deleteAndFail(sa, e.reason(), e.getMessage());
            return;
        }
        ConfigurationRequest.Assigned assigned = ConfigurationRequest.assigned(response);
        InetAddress virtualAddress = assigned.ipv4();
        if (config.requestVirtualIp() && virtualAddress == null && assigned.ipv6() == null) {
            deleteAndFail(sa, Reason.INTERNAL_ADDRESS_FAILURE, "the gateway assigned no virtual IPv4 address");
            return;
        }
        Optional<EspProposal.Chosen> esp = response.first(IkeSaPayload.class)
                .flatMap(p -> EspProposal.acceptAnswer(config.espTransforms(), p));
        Optional<IkeTsPayload> tsi = response.all(IkeTsPayload.class).stream().filter(IkeTsPayload::initiator).findFirst();
        Optional<IkeTsPayload> tsr = response.all(IkeTsPayload.class).stream().filter(t -> !t.initiator()).findFirst();
        if (esp.isEmpty()) {
            deleteAndFail(sa, Reason.NO_PROPOSAL_CHOSEN, "the gateway chose an ESP proposal we did not offer");
            return;
        }
        if (tsi.isEmpty() || tsr.isEmpty() || !TrafficSelectors.allWithin(tsi.get().selectors(), proposedTsi)
                || !TrafficSelectors.allWithin(tsr.get().selectors(), proposedTsr)) {
            deleteAndFail(sa, Reason.TS_UNACCEPTABLE, "the gateway's traffic selectors are missing or wider than proposed");
            return;
        }
        // §1.3.1: the answer repeats USE_TRANSPORT_MODE when the gateway agreed; without it the
        // CHILD_SA is in tunnel mode, which we must delete unless the profile allows it.
        boolean transportMode = config.mode().wantsTransport()
                && notify(response, NotifyType.USE_TRANSPORT_MODE).isPresent();
        if (config.mode() == ChildSaModeRequest.TRANSPORT && !transportMode) {
            deleteAndFail(sa, Reason.TRANSPORT_MODE_REFUSED, "the gateway refused transport mode, and this profile"
                    + " does not allow falling back to tunnel mode");
            return;
        }
        if (config.mode() == ChildSaModeRequest.TRANSPORT_OR_TUNNEL && !transportMode) {
            LOG.info("the gateway refused transport mode; using tunnel mode as the profile allows");
        }
        int outboundSpi = java.nio.ByteBuffer.wrap(response.first(IkeSaPayload.class).orElseThrow()
                .proposals().get(0).spi()).getInt();
        ChildSa child = ChildSa.derive(sa.keys.prf, sa.keys.skD, ni, nr, true, inboundSpi, outboundSpi, esp.get(),
                tsi.get().selectors(), tsr.get().selectors()).withMode(transportMode ? IpsecMode.TRANSPORT : IpsecMode.TUNNEL);
        sa.addChild(child);
        IkeSessionListener.Established info = new IkeSessionListener.Established(IkeIdentity.describe(idr.get()),
                sa.keys.suite, new InetSocketAddress(config.local().getAddress(),
                        sa.natTraversal() ? IkeConstants.NAT_T_PORT : config.local().getPort()),
                sa.peer(), sa.natTraversal(), child, virtualAddress, assigned.dns(), assigned.ipv6(), assigned.subnets());
        authenticatedSa = sa;
        state = new Established(sa, info);
        established = new EstablishedIkeSa(sa, child, scheduler, transport, random, listener, config.timers(),
                config.ikeSuites(), config.espTransforms(), null, "gateway", establishedOwner());
        established.icmpChild().ownAddress(config.local().getAddress());
        if (behindNat) {
            natKeepalive = NatKeepalive.start(scheduler, transport, config.timers().natKeepalive(),
                    () -> established.currentSa().peer());
        }
        LOG.info("IKE SA established with {} at {}; {}; virtual IP {}{}", info.peerIdentity(), sa.peer(), child,
                virtualAddress == null ? "none" : virtualAddress.getHostAddress(),
                assigned.ipv6() == null ? "" : ", " + assigned.ipv6().getHostAddress() + "/" + assigned.ipv6PrefixLength());
        listener.established(info);
    }

    // ---- ending -----------------------------------------------------------------------------------

    /**
     * Deletes the IKE SA (and with it the CHILD_SA, §1.4.1) and reports {@code closed(null)} once
     * the gateway answered or the retransmissions ran out. Before the IKE SA exists it just stops.
     */
    public void close() {
        if (state instanceof Established && established != null) {
            state = new DeleteIkeLocalDelete(established.currentSa());
            established.delete();
        } else if (state instanceof Established est) {
                IkeSa sa = est.sa();
                state = new DeleteIkeLocalDelete(sa);
                sa.sendRequest(ExchangeType.INFORMATIONAL, List.of(IkeDeletePayload.ikeSa()), new IkeSa.ResponseHandler() {
                    @Override
                    public void onResponse(IkeMessage response) {
                        finish(null);
                    }

                    @Override
                    public void onTimeout() {
                        finish(null);
                    }
                });
        } else if (!(state instanceof DeleteIkeLocalDelete) && !(state instanceof Closed)) {
            finish(null);
        }
    }

    /** Rekeys the IKE SA now (§1.3.2); the rekey timer does this by itself. Scheduler thread only. */
    public void rekeyIkeSa() {
        if (established != null && state instanceof Established) {
            established.rekeyIke();
        }
    }

    /** Rekeys the CHILD_SA with this inbound SPI now (§1.3.3), e.g. at a soft lifetime. Scheduler thread only. */
    public void rekeyChildSa(int inboundSpi) {
        if (established != null && state instanceof Established) {
            established.children().rekey(inboundSpi);
        }
    }

    EstablishedIkeSa established() {
        return established;
    }

    /** DPLPMTUD probes over this session's current IKE SA ({@link IkeProbeLayer}); call on the session thread. */
    public IkeProbeLayer probeLayer() {
        return new IkeProbeLayer(scheduler, () -> established == null ? null : established.currentSa());
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
                finish(cause);
            }
        };
    }

    private IkeSa.Owner owner() {
        return new IkeSa.Owner() {
            @Override
            public List<IkePayload> handleSetupRequest(IkeMessage request, InetSocketAddress from) {
                return null; // a responder never sends IKE_AUTH requests
            }

            @Override
            public void childSaDeletedByPeer(ChildSa child) {
                LOG.info("the gateway deleted {}", child);
                listener.childSaDeleted(child);
            }

            @Override
            public void ikeSaDeletedByPeer() {
                finish(new IkeSessionException(Reason.PEER_DELETED, "the gateway deleted the IKE SA"));
            }
        };
    }

    private void deleteAndFail(IkeSa sa, Reason reason, String message) {
        // The IKE SA exists on the gateway: tell it, without waiting for the answer (§1.4.1).
        sa.sendRequest(ExchangeType.INFORMATIONAL, List.of(IkeDeletePayload.ikeSa()), new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
                sa.close();
            }

            @Override
            public void onTimeout() {
                sa.close();
            }
        });
        failKeepingSa(new IkeSessionException(reason, message));
    }

    private void failOnErrorNotify(IkeNotifyPayload n, String exchange) {
        IkeSessionException e = errorFor(n, exchange);
        fail(e.reason(), e.getMessage());
    }

    private static IkeSessionException errorFor(IkeNotifyPayload n, String exchange) {
        Optional<NotifyType> type = n.type();
        String name = type.map(Enum::name).orElse("error " + n.notifyType());
        Reason reason = type.map(t -> switch (t) {
            case AUTHENTICATION_FAILED -> Reason.AUTHENTICATION_FAILED;
            case NO_PROPOSAL_CHOSEN -> Reason.NO_PROPOSAL_CHOSEN;
            case TS_UNACCEPTABLE, INVALID_SELECTORS, SINGLE_PAIR_REQUIRED -> Reason.TS_UNACCEPTABLE;
            case INTERNAL_ADDRESS_FAILURE, FAILED_CP_REQUIRED -> Reason.INTERNAL_ADDRESS_FAILURE;
            default -> Reason.PROTOCOL_ERROR;
        }).orElse(Reason.PROTOCOL_ERROR);
        String hint = switch (reason) {
            case AUTHENTICATION_FAILED -> "authentication failed: the gateway rejected our PSK/AUTH";
            case NO_PROPOSAL_CHOSEN -> "the gateway accepts none of our proposed algorithms (" + name + " in " + exchange + ")";
            case TS_UNACCEPTABLE -> "the gateway refused the traffic selectors (" + name + ")";
            case INTERNAL_ADDRESS_FAILURE -> "the gateway could not assign a virtual address (" + name + ")";
            default -> "the gateway answered " + exchange + " with " + name;
        };
        return new IkeSessionException(reason, hint);
    }

    private void fail(Reason reason, String message) {
        finish(new IkeSessionException(reason, message));
    }

    private void failKeepingSa(IkeSessionException cause) {
        if (initRetransmission != null) {
            initRetransmission.cancel();
        }
        LOG.warn("IKE session with {} failed: {}", config.gateway(), cause.getMessage());
        state = new Closed(cause);
        listener.closed(cause);
    }

    private void finish(IkeSessionException cause) {
        if (state instanceof Closed) {
            return;
        }
        if (initRetransmission != null) {
            initRetransmission.cancel();
        }
        IkeSa sa = currentSa();
        if (sa != null) {
            sa.close();
        }
        if (established != null) {
            established.end(cause);
        }
        if (natKeepalive != null) {
            natKeepalive.stop();
        }
        if (cause != null) {
            LOG.warn("IKE session with {} failed: {}", config.gateway(), cause.getMessage());
        } else {
            LOG.info("IKE session with {} closed", config.gateway());
        }
        state = new Closed(cause);
        listener.closed(cause);
    }

    /** The IKE SA once IKE_SA_INIT is done, else null. */
    private IkeSa currentSa() {
        if (state instanceof CreateIkeLocalIkeAuth a) {
            return a.sa();
        }
        if (state instanceof Established e) {
            return e.sa();
        }
        if (state instanceof DeleteIkeLocalDelete d) {
            return d.sa();
        }
        return null;
    }

    private static Optional<IkeNotifyPayload> notify(IkeMessage m, NotifyType type) {
        return m.all(IkeNotifyPayload.class).stream().filter(n -> n.notifyType() == type.value()).findFirst();
    }

    static String spiHex(long spi) {
        return String.format("%016x", spi);
    }
}
