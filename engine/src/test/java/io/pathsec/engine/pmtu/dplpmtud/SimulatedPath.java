package io.pathsec.engine.pmtu.dplpmtud;

import io.pathsec.engine.pmtu.InFlightProbe;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.pmtu.ProbeQuote;
import io.pathsec.engine.testsupport.ManualClock;

import java.net.InetSocketAddress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A packetization layer over a simulated path, on a manual clock: a probe no larger than the
 * path MTU is acknowledged after one round trip; a larger one is reported lost after PROBE_TIMER
 * (plus the round trip of the small message that completes its exchange); a silent peer answers
 * nothing. With {@link #icmpTo} set, a router answers a too-big probe after half a round trip
 * with a Packet Too Big reporting the path MTU, handed to the probe the state holds in flight (as
 * the validator would after checking the quote). Tasks run in time order on the test thread.
 */
final class SimulatedPath implements PacketizationLayer {
    static final Duration RTT = Duration.ofMillis(20);
    private static final int MAX_TASKS = 100_000;

    private record Task(Instant due, long order, Runnable run, boolean[] cancelled) {
    }

    final ManualClock clock;
    final List<Integer> probes = new ArrayList<>();
    /** The timer each probe was given, in the order sent. */
    final List<Duration> timers = new ArrayList<>();
    int pathMtu = 1500;
    /** Probe sizes are multiples of this (a block cipher's padding). */
    int granularity = 1;
    boolean peerSilent;
    /** Where a router's Packet Too Big goes, null for a path without ICMP. */
    PmtuState icmpTo;
    /** Probes concluded early by {@link #probeTooBig}. */
    final List<Integer> concludedByIcmp = new ArrayList<>();
    private int nextMessageId = 1;
    private final java.util.Map<Integer, Integer> sizeById = new java.util.HashMap<>();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due.equals(b.due)
            ? Long.compare(a.order, b.order) : a.due.compareTo(b.due));
    private long order;

    SimulatedPath(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public int probeSize(int target) {
        return target - target % granularity;
    }

    @Override
    public void sendProbe(int size, Duration probeTimer, ProbeOutcome outcome) {
        probes.add(size);
        timers.add(probeTimer);
        int id = nextMessageId++;
        sizeById.put(id, size);
        outcome.sent(new ProbeQuote(0x1111L, 0x2222L, id, new InetSocketAddress("198.51.100.130", 4500), 4500, true));
        if (icmpTo != null && size > pathMtu && !peerSilent) {
            int reported = pathMtu;
            schedule(RTT.dividedBy(2), () -> {
                InFlightProbe p = icmpTo.probeInFlight();
                if (p != null && p.quote().messageId() == id) {
                    p.tooBig().accept(reported);
                }
            });
        }
        if (peerSilent) {
            schedule(probeTimer.plusSeconds(63), outcome::unanswered);
        } else if (size <= pathMtu) {
            schedule(RTT, outcome::acknowledged);
        } else {
            schedule(probeTimer.plus(RTT), outcome::lost);
        }
    }

    @Override
    public Duration roundTrip() {
        return probes.isEmpty() ? null : RTT;
    }

    @Override
    public void probeTooBig(ProbeQuote quote) {
        concludedByIcmp.add(sizeById.get(quote.messageId()));
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        boolean[] cancelled = new boolean[1];
        tasks.add(new Task(clock.instant().plus(delay), order++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** Moves the clock forward by {@code d}, running every task that falls due on the way. */
    void run(Duration d) {
        Instant end = clock.instant().plus(d);
        for (int i = 0; i < MAX_TASKS && !tasks.isEmpty() && !tasks.peek().due.isAfter(end); i++) {
            Task t = tasks.poll();
            clock.advance(Duration.between(clock.instant(), t.due));
            if (!t.cancelled[0]) {
                t.run.run();
            }
        }
        clock.advance(Duration.between(clock.instant(), end));
    }

    /** Probes sent so far of exactly {@code size} octets. */
    long count(int size) {
        return probes.stream().filter(p -> p == size).count();
    }
}
