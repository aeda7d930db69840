package io.pathsec.engine.pmtu.dplpmtud;

import io.pathsec.engine.pmtu.ProbeQuote;

import java.time.Duration;

/**
 * The packetization layer (PL) that carries DPLPMTUD probes (RFC 8899 §3, §6): for PathSec the
 * IKE SA, whose INFORMATIONAL exchanges every IKEv2 peer must answer. It owns the thread on
 * which {@link Dplpmtud} runs: every method here and every {@link ProbeOutcome} call happen on it.
 */
public interface PacketizationLayer {

    /**
     * The size of the probe this PL would send for {@code target}: the largest outer IP packet
     * (headers included) not above {@code target} that it can build exactly, or 0 when it cannot
     * probe now (no IKE SA yet, or it is closing). Block ciphers make sizes coarser than one octet.
     */
    int probeSize(int target);

    /**
     * Sends one probe of exactly {@code size} octets (a value {@link #probeSize} returned), with DF
     * set whatever the kernel's cached route MTU (RFC 8899 §4.4), and reports its outcome once.
     *
     * @param probeTimer PROBE_TIMER: no acknowledgement within this long means lost
     */
    void sendProbe(int size, Duration probeTimer, ProbeOutcome outcome);

    /**
     * A validated Packet Too Big concluded the probe {@code quote} names (RFC 8899 §4.6.2): the PL
     * stops waiting for its answer, so that the next probe need not wait for PROBE_TIMER. Its
     * {@link ProbeOutcome} is not needed any more. By default nothing: the probe times out.
     */
    default void probeTooBig(ProbeQuote quote) {
    }

    /**
     * The round trip of the probe exchanges as the PL measures it (acknowledged probes only), or
     * null before the first. It times a black-hole check ({@link Dplpmtud#suspectBlackHole}).
     */
    default java.time.Duration roundTrip() {
        return null;
    }

    /** Runs {@code task} on the PL's thread after {@code delay}. */
    Timer schedule(Duration delay, Runnable task);

    /** Runs {@code task} on the PL's thread soon (listeners call from other threads). */
    void execute(Runnable task);

    /** A scheduled task that may still be called off. */
    interface Timer {
        void cancel();
    }

    /** What became of one probe; exactly one of the outcome methods is called. */
    interface ProbeOutcome {
        /**
         * The probe is about to leave, and this is what an ICMP message about it quotes (called
         * before it is written, at most once). A PL that cannot tell does not call it.
         */
        default void sent(ProbeQuote quote) {
        }

        /** The peer acknowledged it: the path carries this size (RFC 8899 §4.2). */
        void acknowledged();

        /**
         * No acknowledgement within PROBE_TIMER, while a small message exchanged right after it
         * was answered: the size, not the peer, is the problem (RFC 8899 §4.3, black holes).
         */
        void lost();

        /**
         * Neither the probe nor the small message after it was answered, or the PL closed: says
         * nothing about the size. Never counted as a probe loss.
         */
        void unanswered();
    }
}
