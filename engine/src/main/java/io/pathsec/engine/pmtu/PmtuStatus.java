package io.pathsec.engine.pmtu;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One SA's path MTU as the status file and the control API show it (plain values, times in
 * epoch milliseconds, so that any JSON reader takes it).
 *
 * @param lastBySource each source's last observation: value and time
 * @param history the most recent samples, oldest first
 */
public record PmtuStatus(String sa, int plpmtu, int effectiveMtu, int floor, int base, int maximum,
                         boolean outerIpv6, Map<PmtuSource, Sample> lastBySource, List<Sample> history,
                         List<BlackHole> blackHoles) {

    /** A sample: its source, value, time, and whether it changed the PLPMTU. */
    public record Sample(PmtuSource source, int value, long atMillis, boolean applied) {
    }

    /** A black-hole event: which SA, what size vanished, the fall, and when. */
    public record BlackHole(String sa, int vanishedSize, int previousPlpmtu, int newPlpmtu, long atMillis) {
    }

    /** How many history samples a status carries. */
    static final int HISTORY_SHOWN = 16;

    public static PmtuStatus of(PmtuState state) {
        Map<PmtuSource, Sample> last = new EnumMap<>(PmtuSource.class);
        for (PmtuSource s : PmtuSource.values()) {
            PmtuState.Observation o = state.last(s);
            if (o != null) {
                last.put(s, new Sample(s, o.value(), o.at().toEpochMilli(), true));
            }
        }
        List<PmtuSample> all = state.history();
        List<Sample> history = all.subList(Math.max(0, all.size() - HISTORY_SHOWN), all.size()).stream()
                .map(p -> new Sample(p.source(), p.value(), p.at().toEpochMilli(), p.applied())).toList();
        List<BlackHole> holes = state.blackHoles().stream()
                .map(e -> new BlackHole(e.sa(), e.vanishedSize(), e.previousPlpmtu(), e.newPlpmtu(), e.at().toEpochMilli()))
                .toList();
        return new PmtuStatus(state.saName(), state.plpmtu(), state.effectiveMtu(), state.floor(), state.base(),
                state.maximum(), state.outerIpv6(), last, history, holes);
    }
}
