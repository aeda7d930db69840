package io.pathsec.ui.pmtu;

import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.PmtuBlackHole;
import io.pathsec.engine.control.api.PmtuSampled;

import java.util.Optional;

/** The chart's points from the daemon's {@code pmtu.sample} and {@code pmtu.blackhole} events. */
public final class PmtuEvents {
    private PmtuEvents() {
    }

    public static Optional<PmtuSample> sample(ControlEvent event) {
        if (event instanceof PmtuSampled s) {
            return Optional.of(new PmtuSample(s.profile(), s.at(), s.spi(), s.plpmtu(), s.effectiveMtu(), s.source(),
                    false, null));
        }
        if (event instanceof PmtuBlackHole b) {
            return Optional.of(new PmtuSample(b.profile(), b.at(), b.spi(), b.newPlpmtu(), b.effectiveMtu(),
                    "BLACK_HOLE", true, b.message()));
        }
        return Optional.empty();
    }
}
