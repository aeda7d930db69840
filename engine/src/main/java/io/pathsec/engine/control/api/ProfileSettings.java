package io.pathsec.engine.control.api;

import java.util.List;

/**
 * The per-profile behaviour settings that later issues act on. In {@code settings.set} a null
 * member keeps the stored value.
 *
 * @param pmtuFloor the smallest path MTU any source may set, in bytes (RFC 4301 §8.2.2 warns
 *                  against believing very small values)
 * @param tcpMssPort the gateway's TCP port for the TCP-MSS method ({@link PmtuMethod#TCP_MSS});
 *                   null means 4500
 * @param pmtuFixedMtu a PLPMTU no source changes (the user's override), 0 to turn it off; null: off
 * @param pmtuRaiseTimerSeconds how long a lowered path MTU holds before it is probed upwards
 *                              (RFC 8899 PMTU_RAISE_TIMER); null: 600
 * @param pmtuProbeTimerSeconds how long a DPLPMTUD probe waits for its answer (RFC 8899
 *                              PROBE_TIMER, at least 1); null: 15
 * @param outerDf the outer IPv4 DF bit (RFC 4301 §8.1); null: set
 */
public record ProfileSettings(IcmpHandling icmpHandling, List<PmtuMethod> pmtuMethods, Integer pmtuFloor,
                              Integer tcpMssPort, Integer pmtuFixedMtu, Integer pmtuRaiseTimerSeconds,
                              Integer pmtuProbeTimerSeconds, OuterDfBit outerDf) {
    public static final ProfileSettings DEFAULTS = new ProfileSettings(IcmpHandling.DISCARD,
            List.of(PmtuMethod.CLASSIC, PmtuMethod.DPLPMTUD, PmtuMethod.BLACK_HOLE_DETECTION), 1280);

    /** Settings with the path MTU timers, override and DF bit at their defaults. */
    public ProfileSettings(IcmpHandling icmpHandling, List<PmtuMethod> pmtuMethods, Integer pmtuFloor,
                           Integer tcpMssPort) {
        this(icmpHandling, pmtuMethods, pmtuFloor, tcpMssPort, null, null, null, null);
    }

    /** Settings without a TCP-MSS port: the method, when chosen, uses 4500. */
    public ProfileSettings(IcmpHandling icmpHandling, List<PmtuMethod> pmtuMethods, Integer pmtuFloor) {
        this(icmpHandling, pmtuMethods, pmtuFloor, null);
    }

    /** This, with every member that {@code update} sets replaced. */
    public ProfileSettings merge(ProfileSettings update) {
        if (update == null) {
            return this;
        }
        return new ProfileSettings(
                update.icmpHandling != null ? update.icmpHandling : icmpHandling,
                update.pmtuMethods != null ? List.copyOf(update.pmtuMethods) : pmtuMethods,
                update.pmtuFloor != null ? update.pmtuFloor : pmtuFloor,
                update.tcpMssPort != null ? update.tcpMssPort : tcpMssPort,
                update.pmtuFixedMtu != null ? update.pmtuFixedMtu : pmtuFixedMtu,
                update.pmtuRaiseTimerSeconds != null ? update.pmtuRaiseTimerSeconds : pmtuRaiseTimerSeconds,
                update.pmtuProbeTimerSeconds != null ? update.pmtuProbeTimerSeconds : pmtuProbeTimerSeconds,
                update.outerDf != null ? update.outerDf : outerDf);
    }
}
