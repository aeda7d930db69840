package io.pathsec.engine.tunnel;

import io.pathsec.engine.pmtu.DplpmtudSettings;
import io.pathsec.engine.pmtu.PmtuSettings;

import java.time.Duration;
import java.util.List;

/**
 * The {@code pmtu} object of a service's JSON profile (issue 4 item 7), as Gson reads it; every
 * member is optional and overrides the default it names:
 * <pre>
 *   "pmtu": {"methods": ["classic", "dplpmtud", "tcp-mss", "black-hole-detection"],
 *            "floor": 576, "maximum": 1500, "fixedMtu": 0, "outerDf": "set",
 *            "raiseTimerSeconds": 600, "probeTimerSeconds": 15, "maxProbes": 3,
 *            "confirmationTimerSeconds": 600}
 * </pre>
 */
public final class PmtuProfileFile {
    List<String> methods;
    Integer floor;
    Integer maximum;
    Integer fixedMtu;
    String outerDf;
    Long raiseTimerSeconds;
    Long probeTimerSeconds;
    Integer maxProbes;
    Long confirmationTimerSeconds;

    /** {@code base} with what this file sets; {@code file} may be null (nothing set). */
    public static PmtuSettings apply(PmtuProfileFile file, PmtuSettings base) {
        if (file == null) {
            return base;
        }
        PmtuSettings s = base;
        if (file.methods != null) {
            s = s.withMethods(PmtuSettings.parseMethods(String.join(",", file.methods)));
        }
        if (file.floor != null) {
            s = s.withFloor(file.floor);
        }
        if (file.maximum != null) {
            s = new PmtuSettings(s.floorIpv4(), s.floorIpv6(), s.baseIpv4(), s.baseIpv6(), file.maximum, s.fixedMtu(),
                    s.raiseTimer(), s.history(), s.icmpSequenceWindow(), s.blackHoleRetransmissions(),
                    s.blackHoleWindow(), s.methods(), s.outerDf(), s.dplpmtud());
        }
        if (file.fixedMtu != null) {
            s = s.withFixedMtu(file.fixedMtu);
        }
        if (file.outerDf != null) {
            s = s.withOuterDf(PmtuSettings.parseOuterDf(file.outerDf));
        }
        if (file.raiseTimerSeconds != null) {
            s = s.withRaiseTimer(Duration.ofSeconds(file.raiseTimerSeconds));
        }
        DplpmtudSettings d = s.dplpmtud();
        s = s.withDplpmtud(new DplpmtudSettings(
                file.probeTimerSeconds == null ? d.probeTimer() : Duration.ofSeconds(file.probeTimerSeconds),
                file.maxProbes == null ? d.maxProbes() : file.maxProbes,
                file.confirmationTimerSeconds == null ? d.confirmationTimer()
                        : Duration.ofSeconds(file.confirmationTimerSeconds),
                d.resolution()));
        return s;
    }
}
