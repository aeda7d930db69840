package io.pathsec.engine.pmtu.dplpmtud;

import io.pathsec.engine.pmtu.BlackHoleEvent;
import io.pathsec.engine.pmtu.DplpmtudSettings;
import io.pathsec.engine.pmtu.InFlightProbe;
import io.pathsec.engine.pmtu.PmtuListener;
import io.pathsec.engine.pmtu.PmtuSample;
import io.pathsec.engine.pmtu.PmtuSource;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.pmtu.ProbeQuote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Datagram PLPMTUD (RFC 8899 §5.2) for one outbound SA, over any {@link PacketizationLayer}.
 *
 * <ul>
 *   <li>BASE: probe BASE_PLPMTU; acknowledged: SEARCHING. Lost MAX_PROBES times: ERROR.</li>
 *   <li>SEARCHING: the current PLPMTU is probed first (it is only a claim until confirmed: the
 *       configured maximum at start, an ICMP value, a TCP-MSS value), then a binary search between
 *       the largest acknowledged and the smallest failed size, until they are within the
 *       resolution: SEARCH_COMPLETE. Each acknowledgement feeds {@link PmtuState#confirm} as
 *       source DPLPMTUD, so the PLPMTU rises during the search.</li>
 *   <li>A size at or below the current PLPMTU that fails MAX_PROBES times while small messages
 *       still pass is a black hole (§4.3): {@link PmtuState#blackHole} falls to the base at once
 *       and names the SA, size and time; then BASE and the search upwards again.</li>
 *   <li>SEARCH_COMPLETE: after PMTU_RAISE_TIMER a new search from the maximum down (§5.1.1: a
 *       path may have grown); every CONFIRMATION_TIMER the current PLPMTU is probed again,
 *       which finds a black hole that opened later on an idle tunnel.</li>
 *   <li>ERROR: the PLPMTU is lowered to the floor (MIN_PLPMTU); BASE is retried after the raise
 *       timer.</li>
 * </ul>
 * A PLPMTU lowered by another source (ICMP, the TCP retransmission detector) restarts the
 * search below it: an ICMP value becomes the first size probed and the upper bound (§4.6.2).
 * A validated Packet Too Big that quotes the probe in flight concludes that probe at once: its
 * size failed, and the reported MTU is the next size to probe (§4.6.2), so a search on a path
 * that sends ICMP ends on the exact MTU after one probe more.
 *
 * <p>Black-hole check ({@link #suspectBlackHole}, §4.3). The inner TCP detector sees a
 * full-size segment sent again with no ICMP: the sender's first retransmission timeout. Waiting
 * for MAX_PROBES lost probes of PROBE_TIMER each (at least 1 s, §5.1.1) would leave the sender
 * to back off twice more, and TCP then ramps up from a congestion window of two segments. So
 * the PLPMTU in use is probed at once, given a few round trips of the probe exchanges (as TCP's
 * own timer is, RFC 6298) instead of PROBE_TIMER, and the small request that completes its
 * message ID follows. Only all three together are the black hole: the full-size probe
 * unanswered, the small request answered (the peer is there, small packets pass), and nothing
 * from the peer on the data SAs since the suspicion (a peer whose traffic still arrives was not
 * cut off: the probe was only late). Anything else ends the check with no change, and the next
 * check waits for {@link #CHECK_HOLDOFF}; an inconclusive loss is confirmed by ordinary probes.
 *
 * <p>Runs on the PL's thread only: the PL calls back there, and changes made elsewhere to the
 * {@link PmtuState} are handed over with {@link PacketizationLayer#execute}. What
 * {@link #status} reads is volatile, so status views may call it from any thread.
 */
public final class Dplpmtud {
    private static final Logger LOG = LoggerFactory.getLogger(Dplpmtud.class);
    /** If a PL never reports (its IKE SA was replaced mid-probe), give up on the probe after this. */
    private static final Duration OUTCOME_GUARD = Duration.ofSeconds(90);
    /** How soon to try again when the PL cannot probe at the moment. */
    private static final Duration PL_BUSY_RETRY = Duration.ofSeconds(1);
    /** A black-hole check's probe is given this many round trips of the probe exchanges... */
    private static final int CHECK_ROUND_TRIPS = 4;
    /** ...but never less than this: a round trip measured on an idle path is no promise under load. */
    static final Duration CHECK_MIN_TIMER = Duration.ofMillis(50);
    /**
     * After a check that found no black hole, the next one waits this long: a lossy path asks at
     * every retransmission. Short, because a black hole opening just after a refuted check is
     * found only by the next one (the sender's next timeout comes sooner than this, then later).
     */
    static final Duration CHECK_HOLDOFF = Duration.ofMillis(200);

    private final PmtuState pmtu;
    private final DplpmtudSettings settings;
    private final PacketizationLayer pl;
    private final PmtuListener listener = this::plpmtuChanged;

    private volatile DplpmtudPhase phase = DplpmtudPhase.DISABLED;
    /** Largest size acknowledged in this search, 0 before any. */
    private volatile int acknowledged;
    /** Smallest size that failed, exclusive upper bound; maximum + 1 while none has. */
    private volatile int failed;
    /** The next size to try before bisecting (a claim to confirm), 0 for none. */
    private int candidate;
    private volatile int probing;
    private int lossesAtSize;
    private int lossSize;
    private long probeToken;
    private PacketizationLayer.Timer guard;
    private PacketizationLayer.Timer timer;
    private PacketizationLayer.Timer confirmTimer;
    private volatile long probesSent;
    private volatile long probesAcknowledged;
    private volatile long probesLost;
    private volatile long blackHoles;
    /** A size the inner TCP detector saw vanish, to probe first after BASE; 0 for none. */
    private int recheck;
    /** Lowerings we caused ourselves, whose listener calls are still to come (they are ours, not news). */
    private int ownLowerings;
    /** The black-hole check in flight (its probe is {@link #probing}), null for none. */
    private Suspicion suspicion;
    /** Set from the moment a check is taken until it ends: one at a time, from any thread. */
    private final java.util.concurrent.atomic.AtomicBoolean checking = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long checkHoldoffUntilMillis = Long.MIN_VALUE;
    private volatile long blackHoleChecks;
    private final PmtuState.BlackHoleCheck check = new PmtuState.BlackHoleCheck() {
        @Override
        public boolean ready() {
            return checkPossible();
        }

        @Override
        public boolean start(long inboundAt, Consumer<BlackHoleEvent> confirmed) {
            return suspectBlackHole(inboundAt, confirmed);
        }
    };

    private record Suspicion(long inboundAt, Consumer<BlackHoleEvent> confirmed) {
    }

    public Dplpmtud(PmtuState pmtu, DplpmtudSettings settings, PacketizationLayer pl) {
        this.pmtu = pmtu;
        this.settings = settings;
        this.pl = pl;
    }

    /** Starts in BASE (call on the PL's thread); from now on the raise happens by probing. */
    public void start() {
        if (phase != DplpmtudPhase.DISABLED) {
            return;
        }
        pmtu.optimisticRaise(false);
        pmtu.addListener(listener);
        pmtu.probeRequester(this::requestProbe);
        pmtu.blackHoleCheck(check);
        failed = pmtu.maximum() + 1;
        enterBase();
    }

    /** Stops every timer; outcomes still in flight are ignored. */
    public void stop() {
        phase = DplpmtudPhase.DISABLED;
        probeToken++;
        probing = 0;
        cancelTimers();
        endCheck(false);
        pmtu.probeSettled();
        pmtu.probeRequester(null);
        pmtu.blackHoleCheck(null);
        pmtu.optimisticRaise(true);
    }

    /**
     * Any thread: probe the current PLPMTU soon, as the confirmation timer would (RFC 8899 §4.6.1:
     * a PTB that could not be used, a dropped ICMP error, is a reason to probe). Ignored while a
     * probe is in flight or a search runs (it probes anyway), and when stopped.
     */
    public void requestProbe() {
        pl.execute(() -> {
            if (phase == DplpmtudPhase.SEARCH_COMPLETE && probing == 0) {
                if (confirmTimer != null) {
                    confirmTimer.cancel();
                }
                confirmCurrent();
            }
        });
    }

    /** The SA state this prober feeds. */
    public PmtuState pmtu() {
        return pmtu;
    }

    public DplpmtudPhase phase() {
        return phase;
    }

    public DplpmtudStatus status() {
        return new DplpmtudStatus(phase, acknowledged, failed > pmtu.maximum() ? 0 : failed, probing, probesSent,
                probesAcknowledged, probesLost, blackHoles, blackHoleChecks);
    }

    /**
     * An outside hint that the path may have shrunk: a Fragmentation Needed / Packet Too Big the
     * ICMP handling dropped (draft-ietf-ipsec-icmp-options §4: "do a PMTU probe"). It is
     * unauthenticated, so it lowers nothing itself; in SEARCH_COMPLETE the PLPMTU in use is
     * confirmed by a probe now instead of at the confirmation timer (a loss then leads to the
     * search below it, §4.3). In other phases probes are already under way. Call on the PL's thread.
     *
     * @return whether a probe was sent for the hint
     */
    public boolean confirmNow() {
        if (phase != DplpmtudPhase.SEARCH_COMPLETE || probing != 0) {
            return false;
        }
        if (confirmTimer != null) {
            confirmTimer.cancel();
            confirmTimer = null;
        }
        confirmCurrent();
        return probing != 0;
    }

    /**
     * Any thread: the inner TCP detector suspects a black hole at the current PLPMTU (a full-size
     * segment sent again, no ICMP). Checks it at once by a probe of the PLPMTU (class comment).
     * Taken only in SEARCH_COMPLETE with no probe in flight, once a round trip has been measured,
     * one check at a time and not within {@link #CHECK_HOLDOFF} of one that found nothing.
     *
     * @param inboundAt {@link PmtuState#inboundPackets} when the suspicion arose
     * @param confirmed called on the PL's thread with the event when the check finds the black hole
     * @return whether the check was taken
     */
    public boolean suspectBlackHole(long inboundAt, Consumer<BlackHoleEvent> confirmed) {
        if (!checkPossible() || !checking.compareAndSet(false, true)) {
            return false;
        }
        pl.execute(() -> beginCheck(new Suspicion(inboundAt, confirmed)));
        return true;
    }

    private boolean checkPossible() {
        return phase == DplpmtudPhase.SEARCH_COMPLETE && probing == 0 && !checking.get()
                && pl.roundTrip() != null && pmtu.clock().millis() >= checkHoldoffUntilMillis;
    }

    private void beginCheck(Suspicion s) {
        if (phase != DplpmtudPhase.SEARCH_COMPLETE || probing != 0) {
            checking.set(false); // a probe got there first: it answers the question as well
            return;
        }
        if (confirmTimer != null) {
            confirmTimer.cancel();
            confirmTimer = null;
        }
        suspicion = s;
        blackHoleChecks++;
        lossesAtSize = 0;
        Duration timer = checkTimer();
        // DEBUG: delayed ACKs and one-way traffic raise suspicions too, a few a second at most.
        LOG.debug("SA {}: a black hole is suspected (full-size packets unanswered, no ICMP); checking PLPMTU {} with a"
                + " probe given {} ms", pmtu.saName(), pmtu.plpmtu(), timer.toMillis());
        probeSoon(pmtu.plpmtu(), timer);
    }

    /** {@link #CHECK_ROUND_TRIPS} round trips, within [{@link #CHECK_MIN_TIMER}, PROBE_TIMER]. */
    private Duration checkTimer() {
        Duration rtt = pl.roundTrip();
        Duration t = rtt == null ? settings.probeTimer() : rtt.multipliedBy(CHECK_ROUND_TRIPS);
        if (t.compareTo(CHECK_MIN_TIMER) < 0) {
            t = CHECK_MIN_TIMER;
        }
        return t.compareTo(settings.probeTimer()) > 0 ? settings.probeTimer() : t;
    }

    /** The next check waits {@link #CHECK_HOLDOFF}: this one found no black hole. */
    private void holdOffChecks() {
        checkHoldoffUntilMillis = pmtu.clock().millis() + CHECK_HOLDOFF.toMillis();
    }

    /** Ends the check in flight, if any; {@code holdoff}: it found nothing, so the next waits. */
    private Suspicion endCheck(boolean holdoff) {
        Suspicion s = suspicion;
        suspicion = null;
        if (s != null) {
            if (holdoff) {
                holdOffChecks();
            }
            checking.set(false);
        }
        return s;
    }

    // ---- the states -------------------------------------------------------------------------------

    private void enterBase() {
        phase = DplpmtudPhase.BASE;
        acknowledged = 0;
        lossesAtSize = 0;
        cancelTimers();
        probeSoon(pmtu.base());
    }

    private void enterSearching(int claim, int upperBound) {
        phase = DplpmtudPhase.SEARCHING;
        failed = upperBound;
        // The claim first; with no upper bound known, the maximum (the common wide path: one probe).
        candidate = claim > acknowledged && claim < failed ? claim : failed > pmtu.maximum() ? pmtu.maximum() : 0;
        lossesAtSize = 0;
        cancelTimers();
        nextSearchProbe();
    }

    private void enterSearchComplete() {
        phase = DplpmtudPhase.SEARCH_COMPLETE;
        candidate = 0;
        cancelTimers();
        LOG.info("SA {}: DPLPMTUD search complete, PLPMTU {} (acknowledged {}, failed {})", pmtu.saName(),
                pmtu.plpmtu(), acknowledged, failed > pmtu.maximum() ? "none" : Integer.toString(failed));
        if (acknowledged < pmtu.maximum()) {
            // §5.1.1 PMTU_RAISE_TIMER: the path may have grown since.
            timer = pl.schedule(pmtu.settings().raiseTimer(), this::raise);
        }
        confirmTimer = pl.schedule(settings.confirmationTimer(), this::confirmCurrent);
    }

    private void raise() {
        if (phase != DplpmtudPhase.SEARCH_COMPLETE) {
            return;
        }
        if (probing != 0) {
            timer = pl.schedule(settings.probeTimer(), this::raise); // after the confirmation in flight
            return;
        }
        LOG.info("SA {}: raise timer expired, searching upwards from {}", pmtu.saName(), pmtu.plpmtu());
        enterSearching(pmtu.maximum(), pmtu.maximum() + 1);
    }

    private void confirmCurrent() {
        if (phase != DplpmtudPhase.SEARCH_COMPLETE) {
            return;
        }
        if (probing != 0) {
            confirmTimer = pl.schedule(settings.confirmationTimer(), this::confirmCurrent);
            return;
        }
        // §4.3: the PLPMTU in use is probed again; if it is now lost while small messages pass,
        // a black hole opened.
        lossesAtSize = 0;
        probeSoon(pmtu.plpmtu());
    }

    private void enterError() {
        phase = DplpmtudPhase.ERROR;
        cancelTimers();
        LOG.warn("SA {}: even BASE_PLPMTU {} is lost while small IKE messages pass; PLPMTU to the floor {}",
                pmtu.saName(), pmtu.base(), pmtu.floor());
        lowerTo(pmtu.floor());
        timer = pl.schedule(pmtu.settings().raiseTimer(), () -> {
            if (phase == DplpmtudPhase.ERROR) {
                enterBase();
            }
        });
    }

    private void nextSearchProbe() {
        int maximum = pmtu.maximum();
        int size;
        if (candidate > acknowledged && candidate < failed) {
            size = candidate; // a claim is checked even inside the resolution: it may be exact
        } else if (acknowledged >= maximum) {
            enterSearchComplete();
            return;
        } else if (failed - acknowledged <= settings.resolution()) {
            if (failed <= maximum) {
                enterSearchComplete();
                return;
            }
            size = maximum; // within the resolution of a maximum never tried: try it, once
        } else {
            size = acknowledged + (failed - acknowledged) / 2;
        }
        candidate = 0;
        if (size != lossSize) {
            lossesAtSize = 0;
        }
        probeSoon(size);
    }

    // ---- probes -----------------------------------------------------------------------------------

    private void probeSoon(int target) {
        probeSoon(target, settings.probeTimer());
    }

    /** @param probeTimer PROBE_TIMER, or a black-hole check's shorter timer */
    private void probeSoon(int target, Duration probeTimer) {
        int size = pl.probeSize(target);
        if (size <= 0) {
            endCheck(false);
            timer = pl.schedule(PL_BUSY_RETRY, () -> {
                if (probing == 0 && phase != DplpmtudPhase.DISABLED) {
                    probeSoon(target);
                }
            });
            return;
        }
        if (phase == DplpmtudPhase.SEARCHING && size <= acknowledged) {
            // The cipher's block size makes this target unreachable: as close as it gets.
            failed = Math.min(failed, target);
            enterSearchComplete();
            return;
        }
        long token = ++probeToken;
        long loweringsAtSending = pmtu.lowerings();
        probing = size;
        lossSize = size;
        probesSent++;
        guard = pl.schedule(settings.probeTimer().plus(OUTCOME_GUARD), () -> {
            if (token == probeToken) {
                outcomeUnanswered(token);
            }
        });
        pl.sendProbe(size, probeTimer, new PacketizationLayer.ProbeOutcome() {
            @Override
            public void sent(ProbeQuote quote) {
                if (token == probeToken) {
                    pmtu.probeSent(new InFlightProbe(quote, size, mtu -> pl.execute(() -> {
                        if (token == probeToken) {
                            outcomeTooBig(quote, size, mtu);
                        }
                    })));
                }
            }

            @Override
            public void acknowledged() {
                if (token == probeToken) {
                    outcomeAcknowledged(size, loweringsAtSending);
                }
            }

            @Override
            public void lost() {
                if (token == probeToken) {
                    outcomeLost(size);
                }
            }

            @Override
            public void unanswered() {
                if (token == probeToken) {
                    outcomeUnanswered(token);
                }
            }
        });
    }

    private void settle() {
        probeToken++;
        probing = 0;
        pmtu.probeSettled();
        if (guard != null) {
            guard.cancel();
            guard = null;
        }
    }

    private void outcomeAcknowledged(int size, long loweringsAtSending) {
        settle();
        probesAcknowledged++;
        if (endCheck(true) != null) {
            LOG.debug("SA {}: no black hole, the {}-octet probe was answered", pmtu.saName(), size);
        }
        if (pmtu.lowerings() != loweringsAtSending && size > pmtu.plpmtu()) {
            // Another source (ICMP, TCP-MSS) lowered the PLPMTU after this probe left: the newer
            // report stands (RFC 8899 §4.6.2), and reconcileLowered, queued by that lowering,
            // restarts the search below it. Confirming here would undo it by a race of arrivals.
            LOG.debug("SA {}: the {}-octet probe was answered, but sent before the PLPMTU fell to {}: ignored",
                    pmtu.saName(), size, pmtu.plpmtu());
            return;
        }
        lossesAtSize = 0;
        acknowledged = Math.max(acknowledged, size);
        if (failed <= acknowledged) {
            failed = pmtu.maximum() + 1; // the path grew past an old failure
        }
        pmtu.confirm(PmtuSource.DPLPMTUD, size);
        switch (phase) {
            case BASE -> {
                int claim = recheck > 0 ? recheck : pmtu.plpmtu();
                recheck = 0;
                enterSearching(claim, failed);
            }
            case SEARCHING -> nextSearchProbe();
            case SEARCH_COMPLETE -> confirmTimer = pl.schedule(settings.confirmationTimer(), this::confirmCurrent);
            default -> {
            }
        }
    }

    private void outcomeLost(int size) {
        settle();
        probesLost++;
        Suspicion s = endCheck(false);
        if (s != null) {
            checkLost(s, size);
            return;
        }
        lossesAtSize++;
        if (lossesAtSize < settings.maxProbes()) {
            probeSoon(size); // §5.1.2 MAX_PROBES: the same size again
            return;
        }
        lossesAtSize = 0;
        switch (phase) {
            case BASE -> enterError();
            case SEARCHING, SEARCH_COMPLETE -> {
                failed = Math.min(failed, size);
                if (size <= pmtu.base()) {
                    enterError();
                    return;
                }
                if (size <= acknowledged && blackHole(size, settings.maxProbes() + " probes of it lost") != null) {
                    return; // a size acknowledged before vanished
                }
                if (size <= pmtu.plpmtu()) {
                    // A claim never confirmed (the configured maximum, an old raise) is refuted:
                    // back to what was acknowledged, quietly; the search goes on below it.
                    lowerTo(acknowledged > 0 ? acknowledged : pmtu.base());
                }
                if (phase == DplpmtudPhase.SEARCH_COMPLETE) {
                    enterSearching(0, failed);
                } else {
                    nextSearchProbe();
                }
            }
            default -> {
            }
        }
    }

    /**
     * A validated PTB quoting the probe of {@code size} reports {@code mtu} (RFC 8899 §4.6.2): the
     * probe failed without waiting for PROBE_TIMER, and the path carries at most {@code mtu}.
     * Below the PLPMTU it lowers it ({@link #reconcileLowered} then probes {@code mtu} first);
     * above it (a search step up) it bounds the search and is the next size probed.
     */
    private void outcomeTooBig(ProbeQuote quote, int size, int mtu) {
        settle();
        endCheck(true); // ICMP works on this path: the classic source takes it from here
        pl.probeTooBig(quote);
        probesLost++;
        lossesAtSize = 0;
        LOG.info("SA {}: outer ICMP reports MTU {} for the {}-octet probe", pmtu.saName(), mtu, size);
        if (pmtu.reportTooBig(PmtuSource.CLASSIC_ICMP, mtu)) {
            return; // the listener hands over to reconcileLowered, which probes mtu first
        }
        failed = Math.min(failed, Math.min(size, mtu + 1));
        candidate = mtu;
        switch (phase) {
            case SEARCHING -> nextSearchProbe();
            case SEARCH_COMPLETE -> enterSearching(mtu, failed);
            case BASE -> enterError(); // even the base is too big (or pinned): RFC 8899 §5.2 ERROR
            default -> {
            }
        }
    }

    private void outcomeUnanswered(long token) {
        if (token != probeToken) {
            return;
        }
        int size = probing;
        settle();
        endCheck(true);
        if (phase == DplpmtudPhase.DISABLED) {
            return;
        }
        // Nothing learnt about the size: the peer (or the IKE SA) did not answer at all. Liveness
        // is the IKE SA's business (RFC 7296 §2.4); try the same size again later.
        LOG.debug("SA {}: probe of {} unanswered, and the small message after it too; retrying later",
                pmtu.saName(), size);
        timer = pl.schedule(settings.probeTimer(), () -> {
            if (probing == 0 && phase != DplpmtudPhase.DISABLED) {
                probeSoon(size);
            }
        });
    }

    /**
     * The check's probe went unanswered while the small request that completed its message ID
     * was answered. With the peer silent on the data SAs since the suspicion, that is the black
     * hole; otherwise it is inconclusive, and ordinary probes (PROBE_TIMER, MAX_PROBES) confirm
     * the PLPMTU from here.
     */
    private void checkLost(Suspicion s, int size) {
        lossesAtSize = 0;
        if (pmtu.inboundPackets() == s.inboundAt() && size <= acknowledged) {
            failed = Math.min(failed, size); // the search that follows stays below it
            BlackHoleEvent event = blackHole(size, "a check's probe of it lost, the peer silent on the data SAs");
            if (event != null) {
                s.confirmed().accept(event);
                return;
            }
        }
        holdOffChecks();
        LOG.info("SA {}: black-hole check inconclusive (the peer was heard meanwhile); confirming {} with ordinary"
                + " probes", pmtu.saName(), size);
        probeSoon(size);
    }

    /**
     * A size the PLPMTU relies on vanishes while small messages pass (RFC 8899 §4.3): fall to the
     * base at once with an event, then confirm the base and search upwards below the failed size.
     *
     * @return the event, or null when already at the base
     */
    private BlackHoleEvent blackHole(int size, String evidence) {
        int before = pmtu.plpmtu();
        BlackHoleEvent event = pmtu.blackHole(pmtu.effectiveMtuAt(size));
        if (event == null) {
            return null;
        }
        ownLowerings++;
        blackHoles++;
        recheck = 0; // confirmed by probes: no second look
        LOG.warn("PMTU black hole on SA {} found by DPLPMTUD: {}-octet packets vanish ({}) while small IKE messages"
                + " pass; PLPMTU {} -> {} at {}", event.sa(), size, evidence, before, event.newPlpmtu(), event.at());
        enterBase();
        return event;
    }

    private void lowerTo(int size) {
        if (pmtu.reportTooBig(PmtuSource.DPLPMTUD, size)) {
            ownLowerings++;
        }
    }

    // ---- other sources ----------------------------------------------------------------------------

    /** Any thread: the PLPMTU changed. A fall below what we acknowledged restarts the search. */
    private void plpmtuChanged(PmtuState state, int oldEffective, int newEffective) {
        if (newEffective < oldEffective) {
            pl.execute(this::reconcileLowered);
        }
    }

    private void reconcileLowered() {
        if (ownLowerings > 0) {
            ownLowerings--;
            return;
        }
        if (phase == DplpmtudPhase.DISABLED || phase == DplpmtudPhase.ERROR) {
            return;
        }
        int now = pmtu.plpmtu();
        PmtuSample cause = lastApplied();
        if (cause != null && cause.source() == PmtuSource.BLACK_HOLE) {
            // The inner TCP detector saw full-size packets vanish. It is a heuristic (a congested
            // peer that drops them looks the same), so once the base is confirmed the size that
            // vanished is probed first: lost, the search goes on below it; acknowledged, it was
            // loss of another kind and the PLPMTU is back at once.
            settle();
            List<BlackHoleEvent> holes = pmtu.blackHoles();
            recheck = holes.isEmpty() ? 0 : holes.get(holes.size() - 1).previousPlpmtu();
            failed = pmtu.maximum() + 1;
            enterBase();
            return;
        }
        if (phase == DplpmtudPhase.SEARCHING && failed <= now + 1) {
            return; // our own search is already below it
        }
        // A validated ICMP (or TCP-MSS) value: probe it first, never above it (§4.6.2).
        settle();
        if (acknowledged >= now) {
            acknowledged = Math.min(pmtu.base(), now - 1);
        }
        enterSearching(now, now + 1);
    }

    private PmtuSample lastApplied() {
        List<PmtuSample> history = pmtu.history();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).applied()) {
                return history.get(i);
            }
        }
        return null;
    }

    private void cancelTimers() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (confirmTimer != null) {
            confirmTimer.cancel();
            confirmTimer = null;
        }
    }
}
