package io.pathsec.engine.icmp;

import io.pathsec.engine.pmtu.dplpmtud.Dplpmtud;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discard option's PMTU hint (draft-ietf-ipsec-icmp-options §4): a Fragmentation Needed /
 * Packet Too Big was dropped, so the SA's DPLPMTUD confirms its PLPMTU now ({@link
 * Dplpmtud#confirmNow}). Call on the prober's (the IKE session's) thread.
 */
public final class DroppedTooBigProbe {
    private static final Logger LOG = LoggerFactory.getLogger(DroppedTooBigProbe.class);

    private DroppedTooBigProbe() {
    }

    /**
     * @param prober the SA's prober, or null when none runs
     * @param sa     the SA's name, for the log
     * @return whether a probe was sent
     */
    public static boolean confirm(Dplpmtud prober, String sa) {
        boolean sent = prober != null && prober.confirmNow();
        if (sent) {
            LOG.info("SA {}: a Frag Needed / Packet Too Big was dropped; DPLPMTUD probe sent to confirm the PLPMTU", sa);
        } else {
            LOG.debug("SA {}: a Frag Needed / Packet Too Big was dropped; no DPLPMTUD probe (none running, or one"
                    + " in flight)", sa);
        }
        return sent;
    }
}
