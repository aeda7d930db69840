package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.crypto.DiffieHellman;
import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeDeletePayload;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeKePayload;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNoncePayload;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.IkeSaPayload;
import io.pathsec.engine.ike.message.IkeSaPayload.Proposal;
import io.pathsec.engine.ike.message.InvalidSyntaxException;
import io.pathsec.engine.ike.message.NotifyType;
import io.pathsec.engine.ike.message.ProtocolId;
import io.pathsec.engine.ike.session.IkeSessionException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An IKE SA after IKE_AUTH, for either role, and everything that keeps it alive: rekeying it
 * with CREATE_CHILD_SA (RFC 7296 §1.3.2, new SKEYSEED per §2.18, CHILD_SAs move to the new SA),
 * the simultaneous-rekey tie-break (§2.8.2), its CHILD_SAs' procedures ({@link ChildSaProcedures}),
 * liveness checks ({@link LivenessCheck}, §2.4) and Delete (§1.4.1).
 *
 * <p>Several IKE SAs may exist for a moment (the old one until its Delete completes, a redundant
 * one after a collision); datagrams are routed to them by their SPIs. Runs on the scheduler's thread.
 */
final class EstablishedIkeSa implements IkeSa.Procedures, IkeSa.Owner, ChildSaProcedures.Context {
    private static final Logger LOG = LoggerFactory.getLogger(EstablishedIkeSa.class);
    private static final Duration RETRY_MIN = Duration.ofSeconds(1);
    private static final int RETRY_SPREAD_MS = 2000;
    private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(30);

    /** What the session that set the IKE SA up learns. */
    interface Owner {
        /** The IKE SA was rekeyed; {@code sa} carries the session from now on. */
        void ikeSaReplaced(IkeSa sa);

        /** The session is over; null when we deleted it ourselves. */
        void ended(IkeSessionException cause);
    }

    /** Where the IKE SA stands, named after the procedure it is in. */
    sealed interface IkeState permits Idle, RekeyIkeLocalCreate, RekeyIkeLocalDelete, RekeyIkeRemoteCreate,
            DeleteIkeLocalDelete, Ended {
    }

    record Idle() implements IkeState {
    }

    /** Our CREATE_CHILD_SA for a new IKE SA is in flight. */
    record RekeyIkeLocalCreate(long newSpi, byte[] ni, DiffieHellman dh) implements IkeState {
    }

    /** The new IKE SA carries the session; our Delete of the old one is in flight. */
    record RekeyIkeLocalDelete(IkeSa old) implements IkeState {
    }

    /** We answered the peer's rekey; the peer is to delete {@code old}. */
    record RekeyIkeRemoteCreate(IkeSa old, IkeScheduler.Cancellable fallback) implements IkeState {
    }

    /** Our Delete of the IKE SA is in flight. */
    record DeleteIkeLocalDelete() implements IkeState {
    }

    record Ended(IkeSessionException cause) implements IkeState {
    }

    /** The IKE SA we created in answer to the peer's rekey while ours was in flight (§2.8.2). */
    private record PeerIkeRekey(IkeSa sa, byte[] ni, byte[] nr) {
    }

    private final IkeScheduler scheduler;
    private final IkeTransport transport;
    private final SecureRandom random;
    private final IkeSessionListener listener;
    private final IkeSessionTimers timers;
    private final List<IkeSuite> ikeSuites;
    private final Owner owner;
    private final String peerRole;
    private final ChildSaProcedures children;
    private final LivenessCheck liveness;
    private final IcmpRelay icmpRelay = new IcmpRelay(this::currentSa, 16);
    private final IcmpChildSa icmpChild;
    private final List<IkeSa> all = new ArrayList<>();
    private IkeSa current;
    private IkeState state = new Idle();
    private PeerIkeRekey peerRekey;
    private IkeScheduler.Cancellable rekeyTimer;
    private long ikeRekeys;

    /**
     * @param peerRole "gateway" or "client", for messages a user reads
     */
    EstablishedIkeSa(IkeSa sa, ChildSa firstChild, IkeScheduler scheduler, IkeTransport transport, SecureRandom random,
                     IkeSessionListener listener, IkeSessionTimers timers, List<IkeSuite> ikeSuites,
                     List<EspTransform> espTransforms, DhGroup childPfsGroup, String peerRole, Owner owner) {
        this.scheduler = scheduler;
        this.transport = transport;
        this.random = random;
        this.listener = listener;
        this.timers = timers;
        this.ikeSuites = List.copyOf(ikeSuites);
        this.owner = owner;
        this.peerRole = peerRole;
        this.current = sa;
        this.children = new ChildSaProcedures(scheduler, random, listener, timers, espTransforms, childPfsGroup, this);
        this.icmpChild = new IcmpChildSa(children, listener, espTransforms);
        this.liveness = new LivenessCheck(scheduler, timers.dpdDelay(), () -> current, this::peerUnreachable);
        adopt(sa);
        if (firstChild != null) {
            children.adopt(firstChild);
        }
        liveness.start();
        armIkeRekey();
    }

    // ---- what the owning session and tests see ---------------------------------------------------

    @Override
    public IkeSa currentSa() {
        return current;
    }

    /** The explicit ICMP CHILD_SA's procedures (both roles). */
    IcmpChildSa icmpChild() {
        return icmpChild;
    }

    /** Negotiates the explicit ICMP CHILD_SA; {@code done} gets null when it is up, else why not. */
    void createIcmpChild(java.util.function.Consumer<String> done) {
        if (!(state instanceof Idle)) {
            done.accept("the IKE SA is busy (rekey or delete in progress)");
            return;
        }
        icmpChild.create(current, done);
    }

    /** Relays one ICMP error to the peer (ike-relay); false when refused (see {@link IcmpRelay#send}). */
    boolean relayIcmp(byte[] packet) {
        return !(state instanceof Ended) && icmpRelay.send(packet);
    }

    IkeState state() {
        return state;
    }

    ChildSaProcedures children() {
        return children;
    }

    LivenessCheck liveness() {
        return liveness;
    }

    long ikeRekeys() {
        return ikeRekeys;
    }

    /** The IKE SAs that exist right now (the current one first). */
    List<IkeSa> ikeSas() {
        List<IkeSa> list = new ArrayList<>(all);
        list.remove(current);
        list.add(0, current);
        return list;
    }

    @Override
    public boolean ikeRekeyInProgress() {
        return state instanceof RekeyIkeLocalCreate || state instanceof RekeyIkeLocalDelete;
    }

    /** Routes one datagram to the IKE SA its SPIs name; others are dropped (§2.21). */
    void receive(byte[] datagram, IkeHeader header, InetSocketAddress from, boolean viaNatTraversal) {
        for (IkeSa sa : List.copyOf(all)) {
            if (sa.spiI == header.initiatorSpi() && sa.spiR == header.responderSpi()) {
                sa.receive(datagram, header, from, viaNatTraversal);
                return;
            }
        }
        LOG.debug("dropping a message for an unknown IKE SA");
    }

    // ---- IKE SA rekey, we initiate (§1.3.2) ------------------------------------------------------

    private void armIkeRekey() {
        if (rekeyTimer != null) {
            rekeyTimer.cancel();
        }
        if (IkeSessionTimers.off(timers.ikeRekeyTime())) {
            return;
        }
        long jitterMs = timers.rekeyJitter().toMillis();
        Duration delay = timers.ikeRekeyTime().minusMillis(jitterMs <= 0 ? 0 : (long) (random.nextDouble() * jitterMs));
        rekeyTimer = scheduler.schedule(delay, () -> rekeyIke(current.keys.suite.dhGroup()));
    }

    /** Starts rekeying the IKE SA now (the timer does it; tests and soft lifetimes may too). */
    void rekeyIke() {
        rekeyIke(current.keys.suite.dhGroup());
    }

    private void rekeyIke(DhGroup group) {
        if (!(state instanceof Idle)) {
            if (!(state instanceof Ended) && !(state instanceof DeleteIkeLocalDelete)) {
                rekeyTimer = scheduler.schedule(retryDelay(), () -> rekeyIke(group));
            }
            return;
        }
        if (children.busy() || current.requestPending()) {
            // §2.25.2: not while a CHILD_SA procedure runs; try again shortly.
            rekeyTimer = scheduler.schedule(retryDelay(), () -> rekeyIke(group));
            return;
        }
        IkeSa old = current;
        long spi = newIkeSpi();
        byte[] ni = nonce();
        DiffieHellman dh = DiffieHellman.generate(group, random);
        state = new RekeyIkeLocalCreate(spi, ni, dh);
        IkeSuite.Chosen suite = old.keys.suite;
        Proposal proposal = new Proposal(1, ProtocolId.IKE, ikeSpiBytes(spi), new IkeSuite.Chosen(suite.encryption(),
                suite.keyLengthBits(), suite.integrity(), suite.prf(), group).toProposal(1).transforms());
        LOG.info("CREATE_CHILD_SA: rekeying the IKE SA {}/{} (new SPIi {}, KE {})", IkeInitiator.spiHex(old.spiI),
                IkeInitiator.spiHex(old.spiR), IkeInitiator.spiHex(spi), group);
        old.sendRequest(ExchangeType.CREATE_CHILD_SA, List.of(new IkeSaPayload(List.of(proposal)),
                new IkeNoncePayload(ni), new IkeKePayload(group.value(), dh.publicValue())), new IkeSa.ResponseHandler() {
                    @Override
                    public void onResponse(IkeMessage response) {
                        onIkeRekeyResponse(old, response);
                    }

                    @Override
                    public void onTimeout() {
                        peerUnreachable();
                    }
                });
    }

    private void onIkeRekeyResponse(IkeSa old, IkeMessage response) {
        if (!(state instanceof RekeyIkeLocalCreate local)) {
            return;
        }
        Optional<IkeNotifyPayload> error = response.all(IkeNotifyPayload.class).stream()
                .filter(IkeNotifyPayload::isError).findFirst();
        if (error.isPresent()) {
            state = new Idle();
            NotifyType type = error.get().type().orElse(null);
            if (type == NotifyType.INVALID_KE_PAYLOAD && error.get().data().length == 2) {
                Optional<DhGroup> wanted = DhGroup.fromValue(error.get().acceptedDhGroup())
                        .filter(g -> ikeSuites.stream().anyMatch(s -> s.dhGroups().contains(g)));
                if (wanted.isPresent() && wanted.get() != local.dh().group()) {
                    rekeyIke(wanted.get());
                    return;
                }
            }
            Duration retry = type == NotifyType.TEMPORARY_FAILURE ? retryDelay() : RETRY_AFTER_ERROR;
            LOG.info("the {} refused our IKE SA rekey with {}; retrying in {} ms", peerRole,
                    type == null ? error.get().notifyType() : type, retry.toMillis());
            rekeyTimer = scheduler.schedule(retry, this::rekeyIke);
            return;
        }
        DhGroup group = local.dh().group();
        IkeSuite.Chosen was = old.keys.suite;
        IkeSuite offered = new IkeSuite(was.encryption(), was.keyLengthBits(), was.integrity(), was.prf(), List.of(group));
        Optional<IkeSaPayload> saPayload = response.first(IkeSaPayload.class);
        Optional<IkeSuite.Chosen> chosen = saPayload.flatMap(p -> IkeSuite.acceptAnswer(List.of(offered), p));
        Optional<IkeNoncePayload> nr = response.first(IkeNoncePayload.class);
        Optional<IkeKePayload> ke = response.first(IkeKePayload.class);
        byte[] shared = null;
        if (chosen.isPresent() && nr.isPresent() && ke.isPresent() && ke.get().dhGroup() == group.value()
                && saPayload.get().proposals().get(0).spi().length == 8) {
            try {
                shared = local.dh().sharedSecret(ke.get().keyExchangeData());
            } catch (InvalidSyntaxException e) {
                LOG.warn("the {}'s KE in the IKE SA rekey is invalid: {}", peerRole, e.getMessage());
            }
        }
        if (shared == null) {
            LOG.warn("the {}'s answer to our IKE SA rekey lacks SA, Nonce or KE, or chose what we did not offer", peerRole);
            state = new Idle();
            rekeyTimer = scheduler.schedule(RETRY_AFTER_ERROR, this::rekeyIke);
            return;
        }
        long peerSpi = ByteBuffer.wrap(saPayload.get().proposals().get(0).spi()).getLong();
        IkeSaKeys keys = IkeSaKeys.rekey(old.keys, chosen.get(), local.ni(), nr.get().nonce(), shared, local.newSpi(),
                peerSpi, true, random);
        java.util.Arrays.fill(shared, (byte) 0);
        IkeSa fresh = new IkeSa(local.newSpi(), peerSpi, true, keys, scheduler, transport, this, old.peer(),
                old.natTraversal(), 0, 0);
        adopt(fresh);
        PeerIkeRekey theirs = peerRekey;
        peerRekey = null;
        if (theirs != null && SimultaneousRekey.ourExchangeIsRedundant(local.ni(), nr.get().nonce(), theirs.ni(), theirs.nr())) {
            LOG.info("simultaneous IKE SA rekey: our exchange holds the lowest nonce; deleting our new IKE SA (§2.8.2)");
            state = new Idle();
            promote(theirs.sa());
            deleteIkeSa(fresh, null);
            // The peer deletes the old IKE SA; if it does not, the fallback below closes it.
            state = new RekeyIkeRemoteCreate(old, scheduler.schedule(timers.switchTimeout(), () -> retireIkeSa(old)));
            return;
        }
        if (theirs != null) {
            LOG.info("simultaneous IKE SA rekey: the {}'s exchange holds the lowest nonce; it deletes its new IKE SA"
                    + " (§2.8.2)", peerRole);
            IkeSa redundant = theirs.sa();
            scheduler.schedule(timers.switchTimeout(), () -> retireIkeSa(redundant));
        }
        promote(fresh);
        state = new RekeyIkeLocalDelete(old);
        deleteIkeSa(old, () -> {
            if (state instanceof RekeyIkeLocalDelete d && d.old() == old) {
                state = new Idle();
            }
        });
    }

    // ---- IKE SA rekey, the peer initiates (§1.3.2) --------------------------------------------------

    private IkeSa.Answer answerIkeRekey(IkeSa sa, IkeMessage request) {
        if (sa != current || state instanceof RekeyIkeLocalDelete || state instanceof RekeyIkeRemoteCreate
                || state instanceof DeleteIkeLocalDelete || children.busy()) {
            return notify(NotifyType.TEMPORARY_FAILURE); // §2.25.2
        }
        Optional<IkeSaPayload> offer = request.first(IkeSaPayload.class);
        Optional<IkeNoncePayload> ni = request.first(IkeNoncePayload.class);
        Optional<IkeKePayload> ke = request.first(IkeKePayload.class);
        if (offer.isEmpty() || ni.isEmpty() || ke.isEmpty()) {
            return notify(NotifyType.INVALID_SYNTAX);
        }
        Proposal matched = null;
        IkeSuite.Chosen chosen = null;
        for (Proposal p : offer.get().proposals()) {
            if (p.protocolId() != ProtocolId.IKE || p.spi().length != 8) {
                continue;
            }
            Optional<IkeSuite.Chosen> c = IkeSuite.select(ikeSuites, new IkeSaPayload(List.of(p)), ke.get().dhGroup());
            if (c.isPresent()) {
                matched = p;
                chosen = c.get();
                break;
            }
        }
        if (chosen == null) {
            return notify(NotifyType.NO_PROPOSAL_CHOSEN);
        }
        if (chosen.dhGroup().value() != ke.get().dhGroup()) {
            return IkeSa.Answer.of(List.of(IkeNotifyPayload.invalidKePayload(chosen.dhGroup())));
        }
        DiffieHellman dh = DiffieHellman.generate(chosen.dhGroup(), random);
        byte[] shared;
        try {
            shared = dh.sharedSecret(ke.get().keyExchangeData());
        } catch (InvalidSyntaxException e) {
            return notify(NotifyType.INVALID_SYNTAX);
        }
        long peerSpi = ByteBuffer.wrap(matched.spi()).getLong();
        long ourSpi = newIkeSpi();
        byte[] nr = nonce();
        IkeSaKeys keys = IkeSaKeys.rekey(sa.keys, chosen, ni.get().nonce(), nr, shared, peerSpi, ourSpi, false, random);
        java.util.Arrays.fill(shared, (byte) 0);
        IkeSa fresh = new IkeSa(peerSpi, ourSpi, false, keys, scheduler, transport, this, sa.peer(), sa.natTraversal(), 0, 0);
        adopt(fresh);
        LOG.info("CREATE_CHILD_SA from the {}: rekeying the IKE SA as {}/{} ({})", peerRole, IkeInitiator.spiHex(peerSpi),
                IkeInitiator.spiHex(ourSpi), chosen);
        List<IkePayload> answer = List.of(
                new IkeSaPayload(List.of(new Proposal(matched.number(), ProtocolId.IKE, ikeSpiBytes(ourSpi),
                        chosen.toProposal(matched.number()).transforms()))),
                new IkeNoncePayload(nr),
                new IkeKePayload(chosen.dhGroup().value(), dh.publicValue()));
        byte[] theirNonce = ni.get().nonce();
        return new IkeSa.Answer(answer, () -> {
            if (state instanceof RekeyIkeLocalCreate) {
                peerRekey = new PeerIkeRekey(fresh, theirNonce, nr); // resolved when our answer arrives (§2.8.2)
                return;
            }
            promote(fresh);
            state = new RekeyIkeRemoteCreate(sa, scheduler.schedule(timers.switchTimeout(), () -> retireIkeSa(sa)));
        });
    }

    /** The new IKE SA carries the session and its CHILD_SAs from now on (§1.3.2). */
    private void promote(IkeSa fresh) {
        current = fresh;
        ikeRekeys++;
        armIkeRekey();
        LOG.info("IKE SA rekeyed: now {}/{} ({})", IkeInitiator.spiHex(fresh.spiI), IkeInitiator.spiHex(fresh.spiR),
                fresh.keys.suite);
        owner.ikeSaReplaced(fresh);
        listener.ikeSaRekeyed(fresh.keys.suite);
    }

    private void adopt(IkeSa sa) {
        if (current != sa) {
            sa.fragmentation.inherit(current.fragmentation); // a rekeyed IKE SA keeps what was negotiated
        }
        sa.attach(this, timers.retransmitInitial(), timers.retransmitSends());
        all.add(sa);
    }

    private void retireIkeSa(IkeSa sa) {
        if (sa == current || !all.remove(sa)) {
            return;
        }
        sa.close();
        if (state instanceof RekeyIkeRemoteCreate r && r.old() == sa) {
            r.fallback().cancel();
            state = new Idle();
        }
    }

    /** INFORMATIONAL with Delete(IKE) on {@code sa}; closes it on the answer or its loss (§1.4.1). */
    private void deleteIkeSa(IkeSa sa, Runnable then) {
        sa.sendRequest(ExchangeType.INFORMATIONAL, List.of(IkeDeletePayload.ikeSa()), new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
                done();
            }

            @Override
            public void onTimeout() {
                done();
            }

            private void done() {
                retireIkeSa(sa);
                if (then != null) {
                    then.run();
                }
            }
        });
    }

    // ---- requests from the peer --------------------------------------------------------------------

    @Override
    public IkeSa.Answer answer(IkeSa sa, IkeMessage request) {
        if (state instanceof Ended) {
            return IkeSa.Answer.of(List.of());
        }
        if (request.header().exchangeType() == ExchangeType.INFORMATIONAL) {
            IcmpRelay.packetsIn(request).forEach(listener::icmpRelayed);
            List<IkeDeletePayload> deletes = request.all(IkeDeletePayload.class);
            if (deletes.stream().anyMatch(d -> d.protocolId() == ProtocolId.IKE)) {
                if (sa != current) {
                    // An old or redundant IKE SA the peer closes after a rekey (§1.3.2, §2.8.2).
                    return new IkeSa.Answer(List.of(), () -> retireIkeSa(sa));
                }
                return new IkeSa.Answer(List.of(), () -> end(new IkeSessionException(Reason.PEER_DELETED,
                        "the " + peerRole + " deleted the IKE SA")));
            }
            return children.answerDelete(deletes);
        }
        Optional<IkeSaPayload> offer = request.first(IkeSaPayload.class);
        if (offer.isPresent() && !offer.get().proposals().isEmpty()
                && offer.get().proposals().get(0).protocolId() == ProtocolId.IKE) {
            return answerIkeRekey(sa, request);
        }
        Optional<IkeNotifyPayload> rekeySa = request.all(IkeNotifyPayload.class).stream()
                .filter(n -> n.notifyType() == NotifyType.REKEY_SA.value()).findFirst();
        if (rekeySa.isPresent()) {
            return children.answerRekey(sa, request, rekeySa.get());
        }
        // A further CHILD_SA: only the explicit ICMP SA is accepted (draft-ietf-ipsec-icmp-options §5).
        if (ikeRekeyInProgress()) {
            return notify(NotifyType.TEMPORARY_FAILURE); // §2.25.2
        }
        return icmpChild.answer(sa, request);
    }

    @Override
    public void heardFromPeer(IkeSa sa) {
        liveness.heard();
    }

    // IkeSa.Owner: with procedures attached, setup requests and deletes never reach these.
    @Override
    public List<IkePayload> handleSetupRequest(IkeMessage request, InetSocketAddress from) {
        return null;
    }

    @Override
    public void childSaDeletedByPeer(ChildSa child) {
    }

    @Override
    public void ikeSaDeletedByPeer() {
    }

    // ---- ending --------------------------------------------------------------------------------------

    @Override
    public void peerUnreachable() {
        end(new IkeSessionException(Reason.PEER_UNREACHABLE, peerRole + " unreachable (no answer to liveness checks for "
                + liveness.silentSeconds() + " s)"));
    }

    /** Deletes the IKE SA and with it every CHILD_SA (§1.4.1); ends when answered or timed out. */
    void delete() {
        if (state instanceof Ended || state instanceof DeleteIkeLocalDelete) {
            return;
        }
        state = new DeleteIkeLocalDelete();
        IkeSa sa = current;
        sa.sendRequest(ExchangeType.INFORMATIONAL, List.of(IkeDeletePayload.ikeSa()), new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
                end(null);
            }

            @Override
            public void onTimeout() {
                end(null);
            }
        });
    }

    /** Stops everything at once, without telling the peer. */
    void end(IkeSessionException cause) {
        if (state instanceof Ended) {
            return;
        }
        state = new Ended(cause);
        liveness.stop();
        children.close();
        if (rekeyTimer != null) {
            rekeyTimer.cancel();
        }
        for (IkeSa sa : all) {
            sa.close();
        }
        all.clear();
        all.add(current); // still routable for the owner's view, but closed
        owner.ended(cause);
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private Duration retryDelay() {
        return RETRY_MIN.plusMillis(random.nextInt(RETRY_SPREAD_MS));
    }

    private static IkeSa.Answer notify(NotifyType type) {
        return IkeSa.Answer.of(List.of(IkeNotifyPayload.of(type)));
    }

    private long newIkeSpi() {
        long spi;
        do {
            spi = random.nextLong();
        } while (spi == 0);
        return spi;
    }

    private byte[] nonce() {
        byte[] n = new byte[IkeConstants.NONCE_LENGTH];
        random.nextBytes(n);
        return n;
    }

    private static byte[] ikeSpiBytes(long spi) {
        return ByteBuffer.allocate(8).putLong(spi).array();
    }
}
