package io.pathsec.engine.control;

import io.pathsec.engine.control.api.PmtuBlackHole;
import io.pathsec.engine.control.api.PmtuReport;
import io.pathsec.engine.control.api.PmtuSampled;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.pmtu.BlackHoleEvent;
import io.pathsec.engine.pmtu.PmtuSample;
import io.pathsec.engine.pmtu.PmtuSource;
import io.pathsec.engine.pmtu.PmtuState;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Turns the engine's per-SA {@link PmtuState} changes into {@code pmtu.sample} and
 * {@code pmtu.blackhole} events, and answers {@code pmtu}. A tunnel's states are watched when it
 * starts and again on each counter tick, so that an SA a rekey adds is watched too; a state is
 * watched once (held weakly, so states of closed tunnels go).
 */
final class PmtuEvents {
    private final EventHub events;
    private final Set<PmtuState> watched = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    PmtuEvents(EventHub events) {
        this.events = events;
    }

    /** Watches the tunnel's PMTU states not watched yet. */
    void watch(String profile, RunningTunnel tunnel) {
        List<PmtuState> states;
        try {
            states = tunnel.pmtuStates();
        } catch (RuntimeException e) {
            return; // a tunnel closing under us: nothing to watch
        }
        for (PmtuState state : states) {
            if (state != null && watched.add(state)) {
                Listener listener = new Listener(profile, tunnel, lastBlackHole(state));
                state.addListener(listener);
                listener.catchUp(state);
            }
        }
    }

    /** The {@code pmtu} answer for a connected tunnel. */
    static PmtuReport report(String profile, RunningTunnel tunnel) {
        return new PmtuReport(profile, tunnel.pmtuStates().stream().map(PmtuEvents::sa).toList());
    }

    static PmtuReport.Sa sa(PmtuState state) {
        Map<String, PmtuReport.Observation> last = new LinkedHashMap<>();
        for (PmtuSource s : PmtuSource.values()) {
            PmtuState.Observation o = state.last(s);
            if (o != null) {
                last.put(s.name(), new PmtuReport.Observation(s.name(), o.value(), o.at().toEpochMilli(), true));
            }
        }
        List<PmtuReport.Observation> history = state.history().stream()
                .map(p -> new PmtuReport.Observation(p.source().name(), p.value(), p.at().toEpochMilli(), p.applied()))
                .toList();
        List<PmtuReport.BlackHole> holes = state.blackHoles().stream()
                .map(b -> new PmtuReport.BlackHole(b.vanishedSize(), b.previousPlpmtu(), b.newPlpmtu(),
                        b.at().toEpochMilli()))
                .toList();
        return new PmtuReport.Sa(spi(state), state.saName(), state.plpmtu(), state.effectiveMtu(), state.floor(),
                state.base(), state.maximum(), state.outerIpv6(), search(state), last, history, holes);
    }

    static String search(PmtuState state) {
        if (state.settings().fixedMtu() != 0) {
            return "fixed";
        }
        if (state.plpmtu() >= state.maximum()) {
            return "maximum";
        }
        return state.raiseDue() ? "raise-due" : "lowered";
    }

    /** The SPI the engine puts after the SA's name ({@code g1-out 0x00001000}), or the whole name. */
    static String spi(PmtuState state) {
        String name = state.saName();
        int space = name.lastIndexOf(' ');
        String tail = space < 0 ? name : name.substring(space + 1);
        return tail.startsWith("0x") ? tail : name;
    }

    private static BlackHoleEvent lastBlackHole(PmtuState state) {
        List<BlackHoleEvent> holes = state.blackHoles();
        return holes.isEmpty() ? null : holes.get(holes.size() - 1);
    }

    /** One watched state; called by the engine outside its lock, on the data path's thread: must not block. */
    private final class Listener implements io.pathsec.engine.pmtu.PmtuListener {
        private final String profile;
        private final RunningTunnel tunnel;
        private BlackHoleEvent reported;

        Listener(String profile, RunningTunnel tunnel, BlackHoleEvent alreadyThere) {
            this.profile = profile;
            this.tunnel = tunnel;
            this.reported = alreadyThere;
        }

        /**
         * A change made before the state was watched (the TCP-MSS method measures right after
         * IKE_AUTH, while the connect is still returning): published now, so subscribers see it.
         */
        void catchUp(PmtuState state) {
            List<PmtuSample> history = state.history();
            boolean changed = history.stream().skip(1).anyMatch(PmtuSample::applied);
            if (changed && !history.isEmpty()) {
                plpmtuChanged(state, state.effectiveMtuAt(history.get(0).value()), state.effectiveMtu());
            }
        }

        @Override
        public void plpmtuChanged(PmtuState state, int oldEffectiveMtu, int newEffectiveMtu) {
            String spi = spi(state);
            BlackHoleEvent hole;
            synchronized (this) {
                hole = lastBlackHole(state);
                if (hole == reported) {
                    hole = null;
                } else {
                    reported = hole;
                }
            }
            if (hole != null) {
                events.publish(new PmtuBlackHole(profile, hole.at().toEpochMilli(), spi, state.saName(),
                        hole.vanishedSize(), hole.previousPlpmtu(), hole.newPlpmtu(), state.effectiveMtuAt(hole.newPlpmtu()),
                        message(hole, state, spi)));
            }
            List<PmtuSample> history = state.history();
            PmtuSample cause = null;
            for (int i = history.size() - 1; i >= 0 && cause == null; i--) {
                if (history.get(i).applied()) {
                    cause = history.get(i);
                }
            }
            long at = cause != null ? cause.at().toEpochMilli() : state.clock().millis();
            String source = cause != null ? cause.source().name() : PmtuSource.CONFIGURED.name();
            events.publish(new PmtuSampled(profile, at, spi, state.saName(), source, state.plpmtu(), newEffectiveMtu,
                    oldEffectiveMtu));
        }

        private String message(BlackHoleEvent hole, PmtuState state, String spi) {
            String local = "us";
            String remote = "the peer";
            try {
                for (SaInfo sa : tunnel.securityAssociations()) {
                    if (sa.spi().equals(spi)) {
                        local = host(sa.localEndpoint(), local);
                        remote = host(sa.remoteEndpoint(), remote);
                    }
                }
            } catch (RuntimeException e) {
                // the words without the addresses
            }
            return "packets of " + hole.vanishedSize() + " bytes vanish between " + local + " and " + remote
                    + "; no ICMP received; now using PLPMTU " + hole.newPlpmtu() + " (inner MTU "
                    + state.effectiveMtuAt(hole.newPlpmtu()) + ")";
        }
    }

    /** {@code 192.0.2.1:4500} → {@code 192.0.2.1}; {@code [2001:db8::1]:4500} → {@code 2001:db8::1}. */
    private static String host(String endpoint, String otherwise) {
        if (endpoint == null || endpoint.isEmpty()) {
            return otherwise;
        }
        if (endpoint.startsWith("[")) {
            int end = endpoint.indexOf(']');
            return end > 0 ? endpoint.substring(1, end) : endpoint;
        }
        int colon = endpoint.lastIndexOf(':');
        return colon > 0 ? endpoint.substring(0, colon) : endpoint;
    }
}
