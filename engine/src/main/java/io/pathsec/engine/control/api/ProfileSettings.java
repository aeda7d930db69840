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
 */
public record ProfileSettings(IcmpHandling icmpHandling, List<PmtuMethod> pmtuMethods, Integer pmtuFloor,
                              Integer tcpMssPort) {
    public static final ProfileSettings DEFAULTS = new ProfileSettings(IcmpHandling.DISCARD,
            List.of(PmtuMethod.CLASSIC, PmtuMethod.DPLPMTUD, PmtuMethod.BLACK_HOLE_DETECTION), 1280);

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
                update.tcpMssPort != null ? update.tcpMssPort : tcpMssPort);
    }
}
