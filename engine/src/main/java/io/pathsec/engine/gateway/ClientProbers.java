package io.pathsec.engine.gateway;

import io.pathsec.engine.ike.session.IkeResponder;
import io.pathsec.engine.pmtu.DplpmtudSettings;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.pmtu.dplpmtud.Dplpmtud;

import java.util.HashMap;
import java.util.Map;

/**
 * DPLPMTUD towards each client of a gateway (RFC 8899 over the client's IKE SA): one prober per
 * session, for the PMTU state of the SA the gateway sends with; a rekey on the same path keeps
 * it, a new state gets a new prober, the session's end stops it. Runs on the IKE scheduler's thread.
 */
final class ClientProbers {
    private final DplpmtudSettings settings;
    private final Map<IkeResponder, Dplpmtud> probers = new HashMap<>();

    ClientProbers(DplpmtudSettings settings) {
        this.settings = settings;
    }

    /** Probes for {@code state} (the current outbound SA's) of {@code session}; null does nothing. */
    void probe(IkeResponder session, PmtuState state) {
        Dplpmtud running = probers.get(session);
        if (state == null || (running != null && running.pmtu() == state)) {
            return;
        }
        if (running != null) {
            running.stop();
        }
        Dplpmtud prober = new Dplpmtud(state, settings, session.probeLayer());
        probers.put(session, prober);
        prober.start();
    }

    /** {@code session}'s prober, or null when none runs. */
    Dplpmtud prober(IkeResponder session) {
        return probers.get(session);
    }

    void stop(IkeResponder session) {
        Dplpmtud prober = probers.remove(session);
        if (prober != null) {
            prober.stop();
        }
    }

    void stopAll() {
        probers.values().forEach(Dplpmtud::stop);
        probers.clear();
    }
}
