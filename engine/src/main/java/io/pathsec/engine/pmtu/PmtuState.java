package io.pathsec.engine.pmtu;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The path MTU of one outbound SA (RFC 4301 §8.2: PMTU is SA state): the current PLPMTU, the
 * effective inner MTU derived from it, each source's last observation, a bounded history, and
 * the black-hole events.
 *
 * <p>Transitions:
 * <ul>
 *   <li>{@link #reportTooBig}: a validated report (ICMP, RFC 1191 §4 / RFC 8201 §4; or the TCP-MSS
 *       method) lowers the PLPMTU, never below the floor and never raising it.</li>
 *   <li>{@link #confirm}: a probe acknowledged at a size (RFC 8899 §5.2, SEARCHING) may raise it;
 *       this is where the DPLPMTUD prober of the IKE engine plugs in.</li>
 *   <li>{@link #blackHole}: drop to BASE_PLPMTU at once (RFC 8899 §4.3, §5.2 "black hole detected").</li>
 *   <li>{@link #tick}: when the PLPMTU has been below the maximum for the raise timer, raise it
 *       again (RFC 8899 §5.1.1 PMTU_RAISE_TIMER; RFC 4301 §8.2.2 ages ICMP-learnt values). Without
 *       a prober the raise is optimistic, straight to the maximum; a prober turns this off with
 *       {@link #optimisticRaise(boolean)} and searches when {@link #raiseDue()} says so.</li>
 * </ul>
 * A fixed override pins the PLPMTU; observations are still recorded.
 *
 * <p>The data path reads {@link #plpmtu()} and {@link #effectiveMtu()} (volatile, no lock, no
 * allocation) for every packet; changes are rare and synchronised. Time comes from the injected
 * clock only.
 */
public final class PmtuState {
    /** One source's latest observation. */
    public record Observation(int value, Instant at) {
    }

    private volatile String saName;
    private final PmtuSettings settings;
    private final boolean outerIpv6;
    private final EffectiveMtu math;
    private final Clock clock;
    private final List<PmtuListener> listeners = new CopyOnWriteArrayList<>();

    private volatile int plpmtu;
    private volatile int effectiveMtu;
    private volatile long lastClassicIcmpMillis = Long.MIN_VALUE;
    private final Map<PmtuSource, Observation> last = new EnumMap<>(PmtuSource.class);
    private final ArrayDeque<PmtuSample> history = new ArrayDeque<>();
    private final List<BlackHoleEvent> blackHoles = new ArrayList<>();
    private Instant lowered;
    /** Guarded by this; see {@link #lowerings()}. */
    private long lowerings;
    private boolean optimisticRaise = true;
    private final LongAdder inboundPackets = new LongAdder();
    /** The DPLPMTUD probe on its way, for ICMP that quotes it; null when none. */
    private volatile InFlightProbe probeInFlight;
    /** Asks the SA's prober for a probe now; null while no prober runs. */
    private volatile Runnable probeRequester;
    private volatile BlackHoleCheck blackHoleCheck;
    private final PeerSilenceWatch peerSilence = new PeerSilenceWatch();

    public PmtuState(String saName, PmtuSettings settings, boolean outerIpv6, EffectiveMtu math, Clock clock) {
        this.saName = saName;
        this.settings = settings;
        this.outerIpv6 = outerIpv6;
        this.math = math;
        this.clock = clock;
        int start = settings.fixedMtu() != 0 ? Math.max(settings.fixedMtu(), floor()) : settings.maximum();
        this.plpmtu = start;
        this.effectiveMtu = math.innerMtu(start);
        record(PmtuSource.CONFIGURED, start, true);
    }

    public String saName() {
        return saName;
    }

    /**
     * A rekeyed SA takes over this state (same peer, same path, same transform): the new name
     * shows in status and later events (RFC 7296 §2.8 make-before-break keeps the path).
     */
    public void renameSa(String name) {
        this.saName = name;
    }

    /** The current PLPMTU: the largest outer IP packet the path is believed to carry. */
    public int plpmtu() {
        return plpmtu;
    }

    /** The largest inner packet that fits the PLPMTU with this SA's ESP and encapsulation. */
    public int effectiveMtu() {
        return effectiveMtu;
    }

    /** The effective MTU a given PLPMTU would give (the base, for instance). */
    public int effectiveMtuAt(int plpmtu) {
        return math.innerMtu(plpmtu);
    }

    public int floor() {
        return settings.floor(outerIpv6);
    }

    public int base() {
        return Math.max(settings.base(outerIpv6), floor());
    }

    public int maximum() {
        return settings.maximum();
    }

    public boolean outerIpv6() {
        return outerIpv6;
    }

    public PmtuSettings settings() {
        return settings;
    }

    public void addListener(PmtuListener listener) {
        listeners.add(listener);
    }

    /**
     * A validated report that packets of more than {@code mtu} octets do not pass.
     *
     * @return whether the PLPMTU went down
     */
    public boolean reportTooBig(PmtuSource source, int mtu) {
        int oldEffective;
        int newEffective;
        synchronized (this) {
            if (source == PmtuSource.CLASSIC_ICMP) {
                lastClassicIcmpMillis = clock.millis();
            }
            int wanted = Math.max(mtu, floor());
            boolean apply = settings.fixedMtu() == 0 && wanted < plpmtu;
            record(source, mtu, apply);
            if (!apply) {
                return false;
            }
            oldEffective = effectiveMtu;
            newEffective = set(wanted);
            lowered = clock.instant();
            lowerings++;
        }
        notifyListeners(oldEffective, newEffective);
        return true;
    }

    /**
     * How many times a report or a black hole has lowered the PLPMTU. A probe acknowledged after
     * a lowering it was sent before is older evidence than the report and must not undo it
     * (Dplpmtud compares this count at sending and at the answer).
     */
    public synchronized long lowerings() {
        return lowerings;
    }

    /**
     * A probe of {@code size} octets was acknowledged (RFC 8899 §4.2 confirmation), or the
     * TCP-MSS method measured it: the path carries at least this much.
     *
     * @return whether the PLPMTU went up
     */
    public boolean confirm(PmtuSource source, int size) {
        int oldEffective;
        int newEffective;
        synchronized (this) {
            int wanted = Math.min(size, maximum());
            boolean apply = settings.fixedMtu() == 0 && wanted > plpmtu;
            record(source, size, apply);
            if (!apply) {
                return false;
            }
            oldEffective = effectiveMtu;
            newEffective = set(wanted);
        }
        notifyListeners(oldEffective, newEffective);
        return true;
    }

    /**
     * Packets of {@code vanishedSize} inner octets disappear with no ICMP: fall to the base at
     * once (RFC 8899 §4.3) and record the event.
     *
     * @return the event, or null when already at or below the base (nothing to fall to)
     */
    public BlackHoleEvent blackHole(int vanishedSize) {
        BlackHoleEvent event;
        int oldEffective;
        int newEffective;
        synchronized (this) {
            int to = base();
            if (settings.fixedMtu() != 0 || plpmtu <= to) {
                record(PmtuSource.BLACK_HOLE, math.outerLength(vanishedSize), false);
                return null;
            }
            event = new BlackHoleEvent(saName, vanishedSize, plpmtu, to, clock.instant());
            blackHoles.add(event);
            if (blackHoles.size() > settings.history()) {
                blackHoles.remove(0);
            }
            record(PmtuSource.BLACK_HOLE, math.outerLength(vanishedSize), true);
            oldEffective = effectiveMtu;
            newEffective = set(to);
            lowered = clock.instant();
            lowerings++;
        }
        notifyListeners(oldEffective, newEffective);
        return event;
    }

    /** Whether the raise timer has run out since the PLPMTU was last lowered (RFC 8899 §5.1.1). */
    public synchronized boolean raiseDue() {
        return lowered != null && plpmtu < maximum() && settings.fixedMtu() == 0
                && !clock.instant().isBefore(lowered.plus(settings.raiseTimer()));
    }

    /** Whether {@link #tick} raises straight to the maximum (true until a prober takes over). */
    public synchronized void optimisticRaise(boolean on) {
        optimisticRaise = on;
    }

    /**
     * Runs the raise timer: called periodically. Without a prober, a due raise goes straight to
     * the maximum; if the path is still narrow, ICMP or the black-hole detector lowers it again.
     *
     * @return whether the PLPMTU went up
     */
    public boolean tick() {
        int oldEffective;
        int newEffective;
        synchronized (this) {
            if (!optimisticRaise || !raiseDue()) {
                return false;
            }
            record(PmtuSource.CONFIGURED, maximum(), true);
            oldEffective = effectiveMtu;
            newEffective = set(maximum());
            lowered = null;
        }
        notifyListeners(oldEffective, newEffective);
        return true;
    }

    /**
     * Counts a packet received from the peer through an inbound SA paired with this one, so that
     * the black-hole detector can tell whether the peer has fallen silent.
     */
    public void countInbound() {
        inboundPackets.increment();
    }

    /** Packets received from the peer through the paired inbound SAs so far. */
    public long inboundPackets() {
        return inboundPackets.sum();
    }

    /** Whether a CLASSIC_ICMP report for this SA arrived within {@code window} before now. */
    public boolean icmpSeenWithin(Duration window) {
        return icmpSeenWithinMillis(window.toMillis());
    }

    /** {@link #icmpSeenWithin} without allocating, for the data path. */
    public boolean icmpSeenWithinMillis(long windowMillis) {
        long t = lastClassicIcmpMillis;
        return t != Long.MIN_VALUE && clock.millis() - t <= windowMillis;
    }

    public synchronized Observation last(PmtuSource source) {
        return last.get(source);
    }

    /** Oldest first. */
    public synchronized List<PmtuSample> history() {
        return List.copyOf(history);
    }

    public synchronized List<BlackHoleEvent> blackHoles() {
        return List.copyOf(blackHoles);
    }

    public Clock clock() {
        return clock;
    }

    /** A DPLPMTUD probe of this SA left (before it leaves, so that a quick ICMP finds it). */
    public void probeSent(InFlightProbe probe) {
        probeInFlight = probe;
    }

    /** The probe's outcome is known: ICMP quoting it is no longer about anything in flight. */
    public void probeSettled() {
        probeInFlight = null;
    }

    /** The DPLPMTUD probe on its way, or null. Any thread. */
    public InFlightProbe probeInFlight() {
        return probeInFlight;
    }

    /** The prober of this SA registers here how to ask it for a probe; null when it stops. */
    public void probeRequester(Runnable requester) {
        probeRequester = requester;
    }

    /**
     * Asks this SA's DPLPMTUD prober to probe the current PLPMTU soon (RFC 8899 §4.6.1: a PTB
     * that cannot be used, a dropped ICMP error, is a hint to probe). Any thread.
     *
     * @return whether a prober runs and took the request
     */
    public boolean requestProbe() {
        Runnable r = probeRequester;
        if (r == null) {
            return false;
        }
        r.run();
        return true;
    }

    /**
     * An active check of a suspected black hole (RFC 8899 §4.3: the PLPMTU in use is probed while
     * small messages are exchanged), which the SA's DPLPMTUD prober offers while it runs.
     */
    public interface BlackHoleCheck {
        /** Whether a check would be taken now (none in flight, none refuted just before). Any thread. */
        boolean ready();

        /**
         * Starts a check. Any thread.
         *
         * @param inboundAt {@link #inboundPackets} when the suspicion arose: a peer heard from
         *                  since then was not cut off, whatever became of the probe
         * @param confirmed called on the prober's thread with the event if the check finds the black hole
         * @return whether the check was taken
         */
        boolean start(long inboundAt, java.util.function.Consumer<BlackHoleEvent> confirmed);
    }

    /** The prober of this SA registers its black-hole check here; null when it stops. */
    public void blackHoleCheck(BlackHoleCheck check) {
        blackHoleCheck = check;
    }

    /** Whether the peer fell silent after a full-size segment of this SA (black-hole suspicion). */
    public PeerSilenceWatch peerSilence() {
        return peerSilence;
    }

    /** The black-hole check of this SA's prober, or null when none runs. Any thread. */
    public BlackHoleCheck blackHoleCheck() {
        return blackHoleCheck;
    }

    private int set(int newPlpmtu) {
        plpmtu = newPlpmtu;
        effectiveMtu = math.innerMtu(newPlpmtu);
        return effectiveMtu;
    }

    private void record(PmtuSource source, int value, boolean applied) {
        Instant now = clock.instant();
        Observation previous = last.put(source, new Observation(value, now));
        if (!applied && previous != null && previous.value() == value) {
            // A router answers every packet of a flight: repeats refresh the time, not the history.
            return;
        }
        history.addLast(new PmtuSample(source, value, now, applied));
        while (history.size() > settings.history()) {
            history.removeFirst();
        }
    }

    private void notifyListeners(int oldEffective, int newEffective) {
        for (PmtuListener l : listeners) {
            l.plpmtuChanged(this, oldEffective, newEffective);
        }
    }
}
