package io.pathsec.engine.ike.session;

import java.time.Duration;
import java.util.Objects;

/**
 * The timers of an established session (RFC 7296 §2.1, §2.4, §2.8), named as strongSwan's
 * swanctl.conf names them so a profile reads the same on both sides.
 *
 * @param ikeRekeyTime      rekey the IKE SA this long after it was created (§2.8, §1.3.2)
 * @param childRekeyTime    rekey a CHILD_SA this long after it was created (§1.3.3)
 * @param rekeyJitter       up to this much is subtracted at random from each rekey time, so
 *                          the two peers rarely start a rekey at the same moment (§2.8.1)
 * @param dpdDelay          send a liveness check when nothing arrived for this long (§2.4)
 * @param retransmitInitial first retransmission timeout of our requests; it doubles (§2.1)
 * @param retransmitSends   sends of one request before the peer is declared unreachable
 * @param retireGrace       how long an old inbound SA keeps accepting packets in flight after
 *                          its Delete exchange completed (§2.8)
 * @param switchTimeout     a rekey responder switches its outbound SA when the initiator
 *                          deletes the old one, or at the latest after this long (§2.8)
 * @param natKeepalive      behind a NAT, send a NAT-keepalive this often so the mapping stays
 *                          (RFC 3948 §2.3, §4; strongSwan's keep_alive, 20 s); zero turns it off
 */
public record IkeSessionTimers(Duration ikeRekeyTime, Duration childRekeyTime, Duration rekeyJitter, Duration dpdDelay,
                               Duration retransmitInitial, int retransmitSends, Duration retireGrace,
                               Duration switchTimeout, Duration natKeepalive) {

    /** strongSwan's defaults: IKE rekey 4 h, CHILD rekey 1 h, 10 % jitter, DPD 30 s; 1 s doubling, 6 sends. */
    public static final IkeSessionTimers DEFAULT = new IkeSessionTimers(Duration.ofHours(4), Duration.ofHours(1),
            Duration.ofMinutes(6), Duration.ofSeconds(30), IkeConstants.RETRANSMIT_INITIAL,
            IkeConstants.RETRANSMIT_SENDS, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(20));

    public IkeSessionTimers {
        Objects.requireNonNull(ikeRekeyTime, "ikeRekeyTime");
        Objects.requireNonNull(childRekeyTime, "childRekeyTime");
        Objects.requireNonNull(rekeyJitter, "rekeyJitter");
        Objects.requireNonNull(dpdDelay, "dpdDelay");
        Objects.requireNonNull(retransmitInitial, "retransmitInitial");
        Objects.requireNonNull(retireGrace, "retireGrace");
        Objects.requireNonNull(switchTimeout, "switchTimeout");
        Objects.requireNonNull(natKeepalive, "natKeepalive");
        if (retransmitSends < 1 || retransmitInitial.isNegative() || retransmitInitial.isZero()) {
            throw new IllegalArgumentException("retransmission needs at least one send and a positive timeout");
        }
        if ((!off(childRekeyTime) && rekeyJitter.compareTo(childRekeyTime) >= 0)
                || (!off(ikeRekeyTime) && rekeyJitter.compareTo(ikeRekeyTime) >= 0)) {
            throw new IllegalArgumentException("the rekey jitter must be shorter than both rekey times");
        }
    }

    /** Zero turns a timer off (no rekeying, no liveness checks). */
    static boolean off(Duration d) {
        return d.isZero() || d.isNegative();
    }

    /** How long until the peer is declared dead once a request goes unanswered: the whole back-off. */
    public Duration retransmitSpan() {
        return retransmitInitial.multipliedBy((1L << retransmitSends) - 1);
    }

    public IkeSessionTimers withRekey(Duration ike, Duration child, Duration jitter) {
        return new IkeSessionTimers(ike, child, jitter, dpdDelay, retransmitInitial, retransmitSends, retireGrace,
                switchTimeout, natKeepalive);
    }

    public IkeSessionTimers withDpd(Duration delay, Duration initial, int sends) {
        return new IkeSessionTimers(ikeRekeyTime, childRekeyTime, rekeyJitter, delay, initial, sends, retireGrace,
                switchTimeout, natKeepalive);
    }

    public IkeSessionTimers withNatKeepalive(Duration interval) {
        return new IkeSessionTimers(ikeRekeyTime, childRekeyTime, rekeyJitter, dpdDelay, retransmitInitial,
                retransmitSends, retireGrace, switchTimeout, interval);
    }
}
