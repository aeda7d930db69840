package io.pathsec.engine.control;

import io.pathsec.engine.control.api.PmtuMethod;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.pmtu.OuterDf;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuSource;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * A profile's path MTU settings (issue 4 item 7: methods, floor, timers, fixed MTU, outer DF) as
 * the engine takes them; what the profile leaves open keeps the engine's default.
 */
final class ProfilePmtu {
    private ProfilePmtu() {
    }

    static PmtuSettings engineSettings(ProfileSettings s) {
        PmtuSettings out = PmtuSettings.defaults();
        if (s == null) {
            return out;
        }
        if (s.pmtuMethods() != null) {
            Set<PmtuSource> on = EnumSet.noneOf(PmtuSource.class);
            for (PmtuMethod m : s.pmtuMethods()) {
                on.add(source(m));
            }
            out = out.withMethods(on);
        }
        if (s.pmtuFloor() != null) {
            out = out.withFloor(s.pmtuFloor());
        }
        if (s.pmtuFixedMtu() != null) {
            out = out.withFixedMtu(s.pmtuFixedMtu());
        }
        if (s.pmtuRaiseTimerSeconds() != null) {
            out = out.withRaiseTimer(Duration.ofSeconds(s.pmtuRaiseTimerSeconds()));
        }
        if (s.pmtuProbeTimerSeconds() != null) {
            out = out.withDplpmtud(out.dplpmtud().withTimers(Duration.ofSeconds(s.pmtuProbeTimerSeconds()),
                    out.dplpmtud().confirmationTimer()));
        }
        if (s.outerDf() != null) {
            out = out.withOuterDf(OuterDf.valueOf(s.outerDf().name()));
        }
        return out;
    }

    private static PmtuSource source(PmtuMethod m) {
        return switch (m) {
            case CLASSIC -> PmtuSource.CLASSIC_ICMP;
            case DPLPMTUD -> PmtuSource.DPLPMTUD;
            case TCP_MSS -> PmtuSource.TCP_MSS;
            case BLACK_HOLE_DETECTION -> PmtuSource.BLACK_HOLE;
        };
    }
}
