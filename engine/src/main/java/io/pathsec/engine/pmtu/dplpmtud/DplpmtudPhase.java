package io.pathsec.engine.pmtu.dplpmtud;

/** The states of RFC 8899 §5.2 (Figure 5), plus DISABLED for a profile that turned the method off. */
public enum DplpmtudPhase {
    /** Confirming that BASE_PLPMTU passes (§5.2: "BASE"). */
    BASE,
    /** Probing larger sizes (§5.2: "SEARCHING"). */
    SEARCHING,
    /** The search converged; the raise and confirmation timers run (§5.2: "SEARCH_COMPLETE"). */
    SEARCH_COMPLETE,
    /** Even BASE_PLPMTU was lost MAX_PROBES times while small messages passed (§5.2: "ERROR"). */
    ERROR,
    /** The method is off for this profile, or the tunnel closed. */
    DISABLED
}
