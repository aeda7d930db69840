package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.crypto.DiffieHellman;
import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeDeletePayload;
import io.pathsec.engine.ike.message.IkeKePayload;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNoncePayload;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.IkeSaPayload;
import io.pathsec.engine.ike.message.IkeTsPayload;
import io.pathsec.engine.ike.message.InvalidSyntaxException;
import io.pathsec.engine.ike.message.NotifyType;
import io.pathsec.engine.ike.message.ProtocolId;
import io.pathsec.engine.ike.message.TransformType;
import io.pathsec.engine.policy.IpsecMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CHILD_SAs of an established IKE SA and the procedures that change them: rekeying with
 * CREATE_CHILD_SA as initiator and responder (RFC 7296 §1.3.3, §2.8), the tie-break of a
 * simultaneous rekey (§2.8.1), and Delete (§1.4.1).
 *
 * <p>The data path follows make-before-break (§2.8): a new CHILD_SA's inbound SA is ready before
 * the peer can use it; the rekey initiator switches its outbound SA once the exchange completed,
 * the responder once the initiator deleted the old SA (or after a timeout); the old inbound SA
 * leaves only after the Delete exchange and a grace period for packets in flight.
 */
final class ChildSaProcedures {
    private static final Logger LOG = LoggerFactory.getLogger(ChildSaProcedures.class);
    /** §2.25: after TEMPORARY_FAILURE, retry after a short random delay. */
    private static final Duration RETRY_MIN = Duration.ofSeconds(1);
    private static final int RETRY_SPREAD_MS = 2000;
    /** After an error other than TEMPORARY_FAILURE, try again this much later. */
    private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(30);

    /** What the procedures need from the IKE SA they run on. */
    interface Context {
        /** The IKE SA new exchanges go on (it changes when the IKE SA is rekeyed). */
        IkeSa currentSa();

        /** §2.25.2: no CHILD_SA rekey while the IKE SA is being rekeyed. */
        boolean ikeRekeyInProgress();

        /** One of our requests went unanswered after every retransmission (§2.4). */
        void peerUnreachable();
    }

    /** Where one CHILD_SA stands, named after the procedure it is in. */
    sealed interface ChildState permits Installed, RekeyChildLocalCreate, RekeyChildLocalDelete, RekeyChildRemoteCreate,
            Rekeyed, Redundant, DeleteChildLocalDelete {
    }

    /** In use, nothing pending. */
    record Installed() implements ChildState {
    }

    /** Our CREATE_CHILD_SA with REKEY_SA for this SA is in flight. */
    record RekeyChildLocalCreate() implements ChildState {
    }

    /** We rekeyed it; our Delete for it is in flight. */
    record RekeyChildLocalDelete() implements ChildState {
    }

    /**
     * The peer rekeyed {@code replaced} and we answered: this new SA receives, but we send on
     * it only once the peer deleted the old one, or when {@code switchTimer} fires.
     */
    record RekeyChildRemoteCreate(Child replaced, IkeScheduler.Cancellable switchTimer) implements ChildState {
    }

    /** The peer's rekey replaced it; waiting for the peer's Delete. */
    record Rekeyed() implements ChildState {
    }

    /** The loser of a simultaneous rekey created by the peer; the peer deletes it (§2.8.1). */
    record Redundant(IkeScheduler.Cancellable fallback) implements ChildState {
    }

    /** Our Delete for it is in flight. */
    record DeleteChildLocalDelete() implements ChildState {
    }

    /** One CHILD_SA with its procedure state and the nonces of the exchange that created it. */
    static final class Child {
        final ChildSa sa;
        final boolean weInitiated;
        final byte[] ni;
        final byte[] nr;
        Child replaces;
        ChildState state = new Installed();
        IkeScheduler.Cancellable rekeyTimer;

        Child(ChildSa sa, boolean weInitiated, Child replaces, byte[] ni, byte[] nr) {
            this.sa = sa;
            this.weInitiated = weInitiated;
            this.replaces = replaces;
            this.ni = ni;
            this.nr = nr;
        }

        @Override
        public String toString() {
            return sa + " [" + state.getClass().getSimpleName() + "]";
        }
    }

    private final IkeScheduler scheduler;
    private final SecureRandom random;
    private final IkeSessionListener listener;
    private final IkeSessionTimers timers;
    private final List<EspTransform> espTransforms;
    private final DhGroup pfsGroup;
    private final Context context;
    private final List<Child> children = new ArrayList<>();
    private long rekeys;
    private boolean closed;

    /** @param pfsGroup the group of the KE payload in our rekey requests, or null for no PFS */
    ChildSaProcedures(IkeScheduler scheduler, SecureRandom random, IkeSessionListener listener, IkeSessionTimers timers,
                      List<EspTransform> espTransforms, DhGroup pfsGroup, Context context) {
        this.scheduler = scheduler;
        this.random = random;
        this.listener = listener;
        this.timers = timers;
        this.espTransforms = List.copyOf(espTransforms);
        this.pfsGroup = pfsGroup;
        this.context = context;
    }

    /** Takes over a CHILD_SA created by IKE_AUTH and arms its rekey timer. */
    void adopt(ChildSa sa) {
        Child c = new Child(sa, true, null, new byte[0], new byte[0]);
        children.add(c);
        armRekey(c);
    }

    /**
     * Takes over an additional CHILD_SA (not a rekey) created by CREATE_CHILD_SA, such as the
     * explicit ICMP SA ({@link IcmpChildSa}), and arms its rekey timer.
     */
    void adoptAdditional(ChildSa sa, boolean weInitiated, byte[] ni, byte[] nr) {
        Child c = new Child(sa, weInitiated, null, ni, nr);
        children.add(c);
        armRekey(c);
    }

    /** A new inbound SPI no CHILD_SA of ours uses. */
    int freshSpi() {
        return newSpi();
    }

    byte[] freshNonce() {
        return nonce();
    }

    /** Every CHILD_SA we hold, in creation order, with its state (for tests and status). */
    List<Child> children() {
        return List.copyOf(children);
    }

    /** The CHILD_SAs in use with nothing pending. */
    List<ChildSa> installed() {
        return children.stream().filter(c -> c.state instanceof Installed).map(c -> c.sa).toList();
    }

    /** Completed rekeys of CHILD_SAs, either side initiating. */
    long rekeys() {
        return rekeys;
    }

    /** Whether a CHILD_SA procedure is under way (an IKE SA rekey waits for it, §2.25.2). */
    boolean busy() {
        return children.stream().anyMatch(c -> !(c.state instanceof Installed));
    }

    /** Rekeys the CHILD_SA whose inbound SPI is {@code inboundSpi} now (a soft lifetime, or a test). */
    void rekey(int inboundSpi) {
        children.stream().filter(c -> c.sa.inboundSpi() == inboundSpi).findFirst().ifPresent(c -> startRekey(c, pfsGroup));
    }

    void close() {
        closed = true;
        for (Child c : children) {
            cancelTimers(c);
        }
    }

    // ---- rekey, we initiate (§1.3.3) ---------------------------------------------------------------

    private void armRekey(Child c) {
        if (IkeSessionTimers.off(timers.childRekeyTime())) {
            return;
        }
        c.rekeyTimer = scheduler.schedule(jittered(timers.childRekeyTime()), () -> startRekey(c, pfsGroup));
    }

    private Duration jittered(Duration base) {
        long jitterMs = timers.rekeyJitter().toMillis();
        return jitterMs <= 0 ? base : base.minusMillis((long) (random.nextDouble() * jitterMs));
    }

    private void startRekey(Child old, DhGroup group) {
        if (closed || !children.contains(old) || !(old.state instanceof Installed)) {
            return;
        }
        if (context.ikeRekeyInProgress()) {
            old.rekeyTimer = scheduler.schedule(retryDelay(), () -> startRekey(old, group));
            return;
        }
        IkeSa sa = context.currentSa();
        int spi = newSpi();
        byte[] ni = nonce();
        DiffieHellman dh = group == null ? null : DiffieHellman.generate(group, random);
        old.state = new RekeyChildLocalCreate();
        List<IkePayload> payloads = new ArrayList<>();
        payloads.add(IkeNotifyPayload.rekeySa(ProtocolId.ESP, spiBytes(old.sa.inboundSpi())));
        if (old.sa.mode() == IpsecMode.TRANSPORT) {
            payloads.add(IkeNotifyPayload.of(NotifyType.USE_TRANSPORT_MODE)); // the rekey keeps the mode (§1.3.1, §1.3.3)
        }
        payloads.add(EspProposal.offer(espTransforms, spi, group));
        payloads.add(new IkeNoncePayload(ni));
        if (dh != null) {
            payloads.add(new IkeKePayload(dh.group().value(), dh.publicValue()));
        }
        payloads.add(new IkeTsPayload(true, old.sa.localTs()));
        payloads.add(new IkeTsPayload(false, old.sa.remoteTs()));
        LOG.info("CREATE_CHILD_SA: rekeying {} (new inbound SPI 0x{}{})", old.sa, Integer.toHexString(spi),
                dh == null ? "" : ", PFS " + dh.group());
        sa.sendRequest(ExchangeType.CREATE_CHILD_SA, payloads, new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
                onRekeyResponse(sa, old, spi, ni, dh, response);
            }

            @Override
            public void onTimeout() {
                context.peerUnreachable();
            }
        });
    }

    private void onRekeyResponse(IkeSa sa, Child old, int spi, byte[] ni, DiffieHellman dh, IkeMessage response) {
        if (closed) {
            return;
        }
        boolean oldPresent = children.contains(old);
        Optional<IkeNotifyPayload> error = response.all(IkeNotifyPayload.class).stream()
                .filter(IkeNotifyPayload::isError).findFirst();
        if (error.isPresent()) {
            onRekeyError(old, oldPresent, error.get());
            return;
        }
        Optional<IkeSaPayload> saPayload = response.first(IkeSaPayload.class);
        Optional<EspProposal.Chosen> chosen = saPayload.flatMap(p -> EspProposal.acceptAnswer(espTransforms, p));
        Optional<IkeNoncePayload> nr = response.first(IkeNoncePayload.class);
        Optional<IkeKePayload> ke = response.first(IkeKePayload.class);
        byte[] shared = null;
        try {
            if (dh != null) {
                if (ke.isEmpty() || ke.get().dhGroup() != dh.group().value()) {
                    throw new InvalidSyntaxException("no KE payload of group " + dh.group() + " in the answer");
                }
                shared = dh.sharedSecret(ke.get().keyExchangeData());
            }
        } catch (InvalidSyntaxException e) {
            LOG.warn("the peer's answer to our rekey of {} is unusable: {}", old.sa, e.getMessage());
            chosen = Optional.empty();
        }
        if (chosen.isEmpty() || nr.isEmpty()) {
            LOG.warn("the peer's answer to our rekey of {} lacks SA or Nonce, or chose what we did not offer", old.sa);
            if (oldPresent && old.state instanceof RekeyChildLocalCreate) {
                old.state = new Installed();
                old.rekeyTimer = scheduler.schedule(RETRY_AFTER_ERROR, () -> startRekey(old, pfsGroup));
            }
            return;
        }
        int peerSpi = ByteBuffer.wrap(saPayload.get().proposals().get(0).spi()).getInt();
        ChildSa fresh = ChildSa.derive(sa.keys.prf, sa.keys.skD, shared, ni, nr.get().nonce(), true, spi, peerSpi,
                chosen.get(), old.sa.localTs(), old.sa.remoteTs()).withMode(old.sa.mode()); // a rekey keeps the mode
        Child mine = new Child(fresh, true, old, ni, nr.get().nonce());
        children.add(mine);
        if (old.sa.mode() == IpsecMode.TRANSPORT && !transportModeIn(response)) {
            // §1.3.1: without USE_TRANSPORT_MODE in the answer the peer made a tunnel-mode SA,
            // which this host-to-host connection cannot use: delete it, keep the old one, retry.
            LOG.warn("the peer answered our rekey of transport-mode {} without USE_TRANSPORT_MODE; deleting {}",
                    old.sa, fresh);
            mine.replaces = null;
            deleteChild(mine);
            if (oldPresent && old.state instanceof RekeyChildLocalCreate) {
                old.state = new Installed();
                old.rekeyTimer = scheduler.schedule(RETRY_AFTER_ERROR, () -> startRekey(old, pfsGroup));
            }
            return;
        }
        listener.childSaInboundReady(fresh);
        Child twin = children.stream().filter(c -> c != mine && c.replaces == old && !c.weInitiated
                && !(c.state instanceof Redundant) && !(c.state instanceof DeleteChildLocalDelete)).findFirst().orElse(null);
        if (twin != null && SimultaneousRekey.ourExchangeIsRedundant(mine.ni, mine.nr, twin.ni, twin.nr)) {
            LOG.info("simultaneous rekey of {}: our exchange holds the lowest nonce, deleting our redundant {} (§2.8.1)",
                    old.sa, fresh);
            if (oldPresent && old.state instanceof RekeyChildLocalCreate) {
                old.state = new Rekeyed();
            }
            mine.replaces = null;
            deleteChild(mine);
            return;
        }
        if (twin != null) {
            LOG.info("simultaneous rekey of {}: the peer's exchange holds the lowest nonce; it deletes {} (§2.8.1)",
                    old.sa, twin.sa);
            markRedundant(twin);
        }
        if (!oldPresent && twin == null) {
            LOG.info("the peer deleted {} while we rekeyed it; deleting the new {}", old.sa, fresh);
            deleteChild(mine);
            return;
        }
        mine.state = new Installed();
        armRekey(mine);
        rekeys++;
        listener.childSaOutboundActive(fresh, old.sa);
        LOG.info("CHILD_SA rekeyed: {} replaces 0x{}/0x{}", fresh, Integer.toHexString(old.sa.inboundSpi()),
                Integer.toHexString(old.sa.outboundSpi()));
        if (oldPresent) {
            old.state = new RekeyChildLocalDelete();
            sendDelete(old);
        }
    }

    private void onRekeyError(Child old, boolean oldPresent, IkeNotifyPayload error) {
        NotifyType type = error.type().orElse(null);
        if (!oldPresent || !(old.state instanceof RekeyChildLocalCreate)) {
            return;
        }
        old.state = new Installed();
        if (type == NotifyType.TEMPORARY_FAILURE) {
            LOG.info("the peer answered our rekey of {} with TEMPORARY_FAILURE; retrying (§2.25)", old.sa);
            old.rekeyTimer = scheduler.schedule(retryDelay(), () -> startRekey(old, pfsGroup));
        } else if (type == NotifyType.CHILD_SA_NOT_FOUND) {
            LOG.warn("the peer does not know {} (CHILD_SA_NOT_FOUND); removing it", old.sa);
            retire(old, Duration.ZERO);
        } else if (type == NotifyType.INVALID_KE_PAYLOAD && error.data().length == 2
                && DhGroup.fromValue(error.acceptedDhGroup()).filter(g -> g != DhGroup.NONE).isPresent()) {
            DhGroup wanted = DhGroup.fromValue(error.acceptedDhGroup()).orElseThrow();
            LOG.info("the peer wants PFS group {} for the rekey of {}", wanted, old.sa);
            startRekey(old, wanted);
        } else {
            LOG.warn("the peer refused our rekey of {} with {}; retrying in {} s", old.sa,
                    type == null ? "error " + error.notifyType() : type, RETRY_AFTER_ERROR.toSeconds());
            old.rekeyTimer = scheduler.schedule(RETRY_AFTER_ERROR, () -> startRekey(old, pfsGroup));
        }
    }

    // ---- rekey, the peer initiates (§1.3.3) -----------------------------------------------------------

    /** Answers a CREATE_CHILD_SA request carrying REKEY_SA. */
    IkeSa.Answer answerRekey(IkeSa sa, IkeMessage request, IkeNotifyPayload rekeySa) {
        if (rekeySa.protocolId() != ProtocolId.ESP || rekeySa.spi().length != 4) {
            return notify(NotifyType.CHILD_SA_NOT_FOUND);
        }
        int spi = ByteBuffer.wrap(rekeySa.spi()).getInt();
        Child old = children.stream().filter(c -> c.sa.outboundSpi() == spi).findFirst().orElse(null);
        if (old == null || old.state instanceof Redundant || old.state instanceof Rekeyed) {
            return IkeSa.Answer.of(List.of(new IkeNotifyPayload(ProtocolId.ESP, rekeySa.spi(),
                    NotifyType.CHILD_SA_NOT_FOUND.value(), new byte[0])));
        }
        if (context.ikeRekeyInProgress() || !(old.state instanceof Installed || old.state instanceof RekeyChildLocalCreate)) {
            // §2.25.1, §2.25.2: it is being deleted or rekeyed otherwise, or the IKE SA is being rekeyed.
            return notify(NotifyType.TEMPORARY_FAILURE);
        }
        Optional<IkeSaPayload> offer = request.first(IkeSaPayload.class);
        Optional<IkeNoncePayload> ni = request.first(IkeNoncePayload.class);
        if (offer.isEmpty() || ni.isEmpty()) {
            return notify(NotifyType.INVALID_SYNTAX);
        }
        Optional<EspProposal.Selected> selected = EspProposal.select(espTransforms, offer.get());
        if (selected.isEmpty()) {
            return notify(NotifyType.NO_PROPOSAL_CHOSEN);
        }
        if (old.sa.mode() == IpsecMode.TRANSPORT && !transportModeIn(request)) {
            // §1.3.1, §1.3.3: a rekey creates an SA like the old one; a transport-mode SA cannot
            // become a tunnel-mode one by the peer leaving the notify out.
            LOG.warn("the peer rekeys transport-mode {} without USE_TRANSPORT_MODE; refusing", old.sa);
            return notify(NotifyType.NO_PROPOSAL_CHOSEN);
        }
        List<Integer> groups = offer.get().proposals().stream()
                .filter(p -> p.number() == selected.get().proposalNumber()).findFirst()
                .map(p -> p.transformsOf(TransformType.DH).stream().map(IkeSaPayload.Transform::id)
                        .filter(id -> id != DhGroup.NONE.value()).toList()).orElse(List.of());
        Optional<IkeKePayload> ke = request.first(IkeKePayload.class);
        DhGroup group = null;
        byte[] shared = null;
        DiffieHellman dh = null;
        if (ke.isPresent()) {
            Optional<DhGroup> g = DhGroup.fromValue(ke.get().dhGroup()).filter(x -> x != DhGroup.NONE);
            if (g.isEmpty() || !groups.contains(ke.get().dhGroup())) {
                Optional<DhGroup> acceptable = groups.stream().map(DhGroup::fromValue).flatMap(Optional::stream)
                        .filter(x -> x != DhGroup.NONE).findFirst();
                return acceptable.map(a -> IkeSa.Answer.of(List.of(IkeNotifyPayload.invalidKePayload(a))))
                        .orElse(notify(NotifyType.NO_PROPOSAL_CHOSEN));
            }
            group = g.get();
            dh = DiffieHellman.generate(group, random);
            try {
                shared = dh.sharedSecret(ke.get().keyExchangeData());
            } catch (InvalidSyntaxException e) {
                return notify(NotifyType.INVALID_SYNTAX);
            }
        }
        byte[] nr = nonce();
        int ourSpi = newSpi();
        ChildSa fresh = ChildSa.derive(sa.keys.prf, sa.keys.skD, shared, ni.get().nonce(), nr, false, ourSpi,
                selected.get().peerSpi(), selected.get().chosen(), old.sa.localTs(), old.sa.remoteTs())
                .withMode(old.sa.mode()); // a rekey keeps the mode
        Child theirs = new Child(fresh, false, old, ni.get().nonce(), nr);
        children.add(theirs);
        // Make before break (§2.8): the peer may send with the new SA as soon as it has our answer.
        listener.childSaInboundReady(fresh);
        IkeScheduler.Cancellable switchTimer = scheduler.schedule(timers.switchTimeout(), () -> switchAfterTimeout(theirs));
        theirs.state = new RekeyChildRemoteCreate(old, switchTimer);
        LOG.info("CREATE_CHILD_SA from the peer: rekeying {} as {}", old.sa, fresh);
        List<IkePayload> answer = new ArrayList<>();
        if (fresh.mode() == IpsecMode.TRANSPORT) {
            answer.add(IkeNotifyPayload.of(NotifyType.USE_TRANSPORT_MODE)); // the answer repeats it (§1.3.1)
        }
        answer.add(selected.get().answer(ourSpi, group));
        answer.add(new IkeNoncePayload(nr));
        if (dh != null) {
            answer.add(new IkeKePayload(group.value(), dh.publicValue()));
        }
        answer.add(new IkeTsPayload(true, old.sa.remoteTs()));
        answer.add(new IkeTsPayload(false, old.sa.localTs()));
        return IkeSa.Answer.of(answer);
    }

    private static boolean transportModeIn(IkeMessage m) {
        return m.all(IkeNotifyPayload.class).stream().anyMatch(n -> n.notifyType() == NotifyType.USE_TRANSPORT_MODE.value());
    }

    /** The peer never deleted the SA it rekeyed: switch anyway and delete the old one ourselves. */
    private void switchAfterTimeout(Child theirs) {
        if (closed || !(theirs.state instanceof RekeyChildRemoteCreate r)) {
            return;
        }
        LOG.info("the peer did not delete {} within {} s of rekeying it; switching and deleting it ourselves",
                r.replaced().sa, timers.switchTimeout().toSeconds());
        switchTo(theirs, r.replaced());
        Child old = r.replaced();
        if (children.contains(old) && (old.state instanceof Installed || old.state instanceof Rekeyed)) {
            old.state = new RekeyChildLocalDelete();
            sendDelete(old);
        }
    }

    private void switchTo(Child theirs, Child old) {
        if (theirs.state instanceof RekeyChildRemoteCreate r) {
            r.switchTimer().cancel();
        }
        theirs.state = new Installed();
        armRekey(theirs);
        rekeys++;
        listener.childSaOutboundActive(theirs.sa, old.sa);
        LOG.info("CHILD_SA rekeyed by the peer: {} replaces 0x{}/0x{}", theirs.sa,
                Integer.toHexString(old.sa.inboundSpi()), Integer.toHexString(old.sa.outboundSpi()));
    }

    private void markRedundant(Child twin) {
        if (twin.state instanceof RekeyChildRemoteCreate r) {
            r.switchTimer().cancel();
        }
        cancelTimers(twin);
        twin.replaces = null;
        twin.state = new Redundant(scheduler.schedule(timers.switchTimeout(), () -> {
            if (children.contains(twin) && twin.state instanceof Redundant) {
                deleteChild(twin); // the peer should have; make sure it goes
            }
        }));
    }

    // ---- Delete (§1.4.1) -----------------------------------------------------------------------------

    /**
     * Answers the ESP Delete payloads of an INFORMATIONAL request: the answer lists the inbound
     * SPIs of the pairs we close in turn, leaving out those we are deleting ourselves (§1.4.1).
     */
    IkeSa.Answer answerDelete(List<IkeDeletePayload> deletes) {
        List<byte[]> ours = new ArrayList<>();
        List<Child> gone = new ArrayList<>();
        for (IkeDeletePayload d : deletes) {
            if (d.protocolId() != ProtocolId.ESP) {
                continue;
            }
            for (byte[] raw : d.spis()) {
                int spi = ByteBuffer.wrap(raw).getInt();
                Child c = children.stream().filter(x -> x.sa.outboundSpi() == spi).findFirst().orElse(null);
                if (c == null || gone.contains(c)) {
                    continue;
                }
                if (!(c.state instanceof RekeyChildLocalDelete) && !(c.state instanceof DeleteChildLocalDelete)) {
                    ours.add(spiBytes(c.sa.inboundSpi()));
                }
                gone.add(c);
            }
        }
        for (Child c : gone) {
            Child replacement = children.stream().filter(r -> r.state instanceof RekeyChildRemoteCreate rc
                    && rc.replaced() == c).findFirst().orElse(null);
            if (replacement != null) {
                switchTo(replacement, c); // the initiator deleted the old SA: the new one is in use (§2.8)
            } else if (!(c.state instanceof Redundant) && !(c.state instanceof Rekeyed)
                    && !(c.state instanceof RekeyChildLocalDelete)) {
                LOG.info("the peer deleted {}", c.sa);
            }
            for (Child r : children) {
                if (r.replaces == c) {
                    r.replaces = null;
                }
            }
        }
        List<IkePayload> answer = ours.isEmpty() ? List.of() : List.of(new IkeDeletePayload(ProtocolId.ESP, ours));
        return new IkeSa.Answer(answer, () -> gone.forEach(c -> retire(c, timers.retireGrace())));
    }

    /** Deletes one CHILD_SA of ours: INFORMATIONAL with its inbound SPI (§1.4.1). */
    private void deleteChild(Child c) {
        cancelTimers(c);
        c.state = new DeleteChildLocalDelete();
        sendDelete(c);
    }

    private void sendDelete(Child c) {
        cancelTimers(c);
        IkeSa sa = context.currentSa();
        LOG.info("deleting {}", c.sa);
        sa.sendRequest(ExchangeType.INFORMATIONAL, List.of(new IkeDeletePayload(ProtocolId.ESP,
                List.of(spiBytes(c.sa.inboundSpi())))), new IkeSa.ResponseHandler() {
                    @Override
                    public void onResponse(IkeMessage response) {
                        retire(c, timers.retireGrace());
                    }

                    @Override
                    public void onTimeout() {
                        context.peerUnreachable();
                    }
                });
    }

    /**
     * Forgets a CHILD_SA now and takes it out of the data path after {@code grace}: packets the
     * peer sent just before the Delete may still be on their way (§2.8).
     */
    private void retire(Child c, Duration grace) {
        if (!children.remove(c)) {
            return;
        }
        cancelTimers(c);
        c.replaces = null;
        if (grace.isZero()) {
            listener.childSaDeleted(c.sa);
        } else {
            scheduler.schedule(grace, () -> listener.childSaDeleted(c.sa));
        }
    }

    private static void cancelTimers(Child c) {
        if (c.rekeyTimer != null) {
            c.rekeyTimer.cancel();
            c.rekeyTimer = null;
        }
        if (c.state instanceof Redundant r) {
            r.fallback().cancel();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private Duration retryDelay() {
        return RETRY_MIN.plusMillis(random.nextInt(RETRY_SPREAD_MS));
    }

    private static IkeSa.Answer notify(NotifyType type) {
        return IkeSa.Answer.of(List.of(IkeNotifyPayload.of(type)));
    }

    private int newSpi() {
        int spi;
        do {
            spi = random.nextInt();
        } while (Integer.compareUnsigned(spi, 256) < 0 || spiInUse(spi)); // 0-255 are reserved (RFC 4303 §2.1)
        return spi;
    }

    private boolean spiInUse(int spi) {
        return children.stream().anyMatch(c -> c.sa.inboundSpi() == spi);
    }

    private byte[] nonce() {
        byte[] n = new byte[IkeConstants.NONCE_LENGTH];
        random.nextBytes(n);
        return n;
    }

    static byte[] spiBytes(int spi) {
        return ByteBuffer.allocate(4).putInt(spi).array();
    }
}
