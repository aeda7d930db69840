package io.pathsec.engine.control.api;

import java.util.List;
import java.util.Map;

/**
 * The answer to {@code pmtu}: the path MTU state of each outbound SA of a connected tunnel. Empty
 * {@code sas} means the tunnel's data path reports no PMTU state.
 */
public record PmtuReport(String profile, List<Sa> sas) {

    /**
     * One outbound SA.
     *
     * @param search       where the PLPMTU stands: {@code fixed} (a configured override),
     *                     {@code maximum} (at the configured maximum), {@code lowered} (below it,
     *                     waiting for the raise timer) or {@code raise-due} (the raise timer ran out)
     * @param lastBySource each source's last observation, by source name
     * @param history      the most recent observations, oldest first
     */
    public record Sa(String spi, String sa, int plpmtu, int effectiveMtu, int floor, int base, int maximum,
                     boolean outerIpv6, String search, Map<String, Observation> lastBySource,
                     List<Observation> history, List<BlackHole> blackHoles) {
    }

    /** An observation: its source, the outer packet size it stands for, when, and whether it changed the PLPMTU. */
    public record Observation(String source, int value, long at, boolean applied) {
    }

    /** A black hole: the inner size that vanished and the fall of the PLPMTU. */
    public record BlackHole(int vanishedSize, int previousPlpmtu, int newPlpmtu, long at) {
    }
}
