package io.pathsec.engine.pmtu;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * The path MTU settings of a tunnel (issue 4, item 7). All sizes are outer IP packet sizes
 * (the PLPMTU of RFC 8899 counted at the IP layer, headers included).
 *
 * @param floorIpv4 never go below this on an IPv4 outer path (RFC 791's 576 by default)
 * @param floorIpv6 never go below this on an IPv6 outer path (RFC 8200 §5: 1280)
 * @param baseIpv4 BASE_PLPMTU for IPv4 outer paths, where a black hole drops to (RFC 8899 §5.1.2: 1200)
 * @param baseIpv6 BASE_PLPMTU for IPv6 outer paths (RFC 8899 §5.1.2: 1280)
 * @param maximum the largest PLPMTU tried: the start value and what a raise returns to
 *                (MAX_PLPMTU, RFC 8899 §5.1.2; the outer interface MTU)
 * @param fixedMtu 0, or a fixed PLPMTU that no observation changes (the user's override)
 * @param raiseTimer how long a lowered PLPMTU holds before it is raised again (RFC 8899
 *                   §5.1.1 PMTU_RAISE_TIMER, 600 s; RFC 4301 §8.2.2 ageing of ICMP-learnt values)
 * @param history samples kept per SA for the control API
 * @param icmpSequenceWindow an outer ICMP must quote one of our last this many sequence numbers
 * @param blackHoleRetransmissions times the same full-size inner TCP segment must be seen
 * @param blackHoleWindow within this time, with no valid ICMP received meanwhile
 * @param methods the sources that run (DESIGN.md "Path MTU"): CLASSIC_ICMP, DPLPMTUD, TCP_MSS,
 *                BLACK_HOLE (the inner TCP retransmission detector); CONFIGURED is implied
 * @param outerDf the outer IPv4 DF bit of this tunnel's SAs (RFC 4301 §8.1)
 * @param dplpmtud the RFC 8899 timers and counts
 */
public record PmtuSettings(int floorIpv4, int floorIpv6, int baseIpv4, int baseIpv6, int maximum, int fixedMtu,
                           Duration raiseTimer, int history, int icmpSequenceWindow,
                           int blackHoleRetransmissions, Duration blackHoleWindow, Set<PmtuSource> methods,
                           OuterDf outerDf, DplpmtudSettings dplpmtud) {

    /** Every source on: what a profile gets unless it turns some off. */
    public static final Set<PmtuSource> ALL_METHODS = Set.copyOf(EnumSet.of(PmtuSource.CLASSIC_ICMP,
            PmtuSource.DPLPMTUD, PmtuSource.TCP_MSS, PmtuSource.BLACK_HOLE));

    /** The sizes and detector settings, with every method on, DF set and RFC 8899's DPLPMTUD defaults. */
    public PmtuSettings(int floorIpv4, int floorIpv6, int baseIpv4, int baseIpv6, int maximum, int fixedMtu,
                        Duration raiseTimer, int history, int icmpSequenceWindow, int blackHoleRetransmissions,
                        Duration blackHoleWindow) {
        this(floorIpv4, floorIpv6, baseIpv4, baseIpv6, maximum, fixedMtu, raiseTimer, history, icmpSequenceWindow,
                blackHoleRetransmissions, blackHoleWindow, ALL_METHODS, OuterDf.SET, DplpmtudSettings.defaults());
    }

    /** System properties read by {@link #fromProperties}, e.g. {@code -Dpathsec.pmtu.raiseTimer=PT5S}. */
    public static final String PREFIX = "pathsec.pmtu.";

    public PmtuSettings {
        if (floorIpv4 < 68 || floorIpv6 < 1280) {
            throw new IllegalArgumentException("floors below the protocol minimum (68 / 1280)");
        }
        if (baseIpv4 < floorIpv4 || baseIpv6 < floorIpv6 || maximum < Math.max(baseIpv4, baseIpv6)) {
            throw new IllegalArgumentException("need floor <= base <= maximum");
        }
        if (fixedMtu != 0 && (fixedMtu < floorIpv4 || fixedMtu > 65535)) {
            throw new IllegalArgumentException("fixed MTU " + fixedMtu);
        }
        if (raiseTimer.isNegative() || raiseTimer.isZero() || history < 1 || icmpSequenceWindow < 1
                || blackHoleRetransmissions < 2 || blackHoleWindow.isNegative() || blackHoleWindow.isZero()) {
            throw new IllegalArgumentException("timers, history and counts must be positive");
        }
        methods = methods.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(methods));
        if (outerDf == null || dplpmtud == null) {
            throw new IllegalArgumentException("outerDf and dplpmtud are required");
        }
    }

    /** Whether the source {@code method} runs for this tunnel. */
    public boolean enabled(PmtuSource method) {
        return methods.contains(method);
    }

    public static PmtuSettings defaults() {
        return new PmtuSettings(576, 1280, 1200, 1280, 1500, 0, Duration.ofSeconds(600), 64, 16384,
                3, Duration.ofSeconds(3));
    }

    /**
     * The defaults, overridden by {@code pathsec.pmtu.<component>} properties (durations ISO-8601;
     * {@code methods} a comma list of {@link PmtuSource} names, {@code outerDf} copy/set/clear) and
     * the {@code pathsec.dplpmtud.*} ones of {@link DplpmtudSettings}.
     */
    public static PmtuSettings fromProperties(Properties p) {
        PmtuSettings d = defaults();
        String methods = p.getProperty(PREFIX + "methods");
        String df = p.getProperty(PREFIX + "outerDf");
        return new PmtuSettings(
                integer(p, "floorIpv4", d.floorIpv4), integer(p, "floorIpv6", d.floorIpv6),
                integer(p, "baseIpv4", d.baseIpv4), integer(p, "baseIpv6", d.baseIpv6),
                integer(p, "maximum", d.maximum), integer(p, "fixedMtu", d.fixedMtu),
                duration(p, "raiseTimer", d.raiseTimer), integer(p, "history", d.history),
                integer(p, "icmpSequenceWindow", d.icmpSequenceWindow),
                integer(p, "blackHoleRetransmissions", d.blackHoleRetransmissions),
                duration(p, "blackHoleWindow", d.blackHoleWindow),
                methods == null ? d.methods : parseMethods(methods), df == null ? d.outerDf : parseOuterDf(df),
                DplpmtudSettings.fromProperties(p));
    }

    /**
     * "classic, dplpmtud" → the set; the control API's names (classic, dplpmtud, tcp-mss,
     * black-hole-detection) and the {@link PmtuSource} names both work; an unknown name is an error.
     */
    public static Set<PmtuSource> parseMethods(String list) {
        EnumSet<PmtuSource> out = EnumSet.noneOf(PmtuSource.class);
        for (String name : list.split(",")) {
            if (!name.isBlank()) {
                out.add(method(name));
            }
        }
        return out;
    }

    private static PmtuSource method(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return switch (n) {
            case "CLASSIC" -> PmtuSource.CLASSIC_ICMP;
            case "BLACK_HOLE_DETECTION" -> PmtuSource.BLACK_HOLE;
            case "CONFIGURED" -> throw new IllegalArgumentException("CONFIGURED is not a method that can be turned on");
            default -> PmtuSource.valueOf(n);
        };
    }

    public static OuterDf parseOuterDf(String name) {
        return OuterDf.valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    public int floor(boolean outerIpv6) {
        return outerIpv6 ? floorIpv6 : floorIpv4;
    }

    public int base(boolean outerIpv6) {
        return outerIpv6 ? baseIpv6 : baseIpv4;
    }

    public PmtuSettings withRaiseTimer(Duration d) {
        return new PmtuSettings(floorIpv4, floorIpv6, baseIpv4, baseIpv6, maximum, fixedMtu, d, history,
                icmpSequenceWindow, blackHoleRetransmissions, blackHoleWindow, methods, outerDf, dplpmtud);
    }

    public PmtuSettings withFixedMtu(int mtu) {
        return new PmtuSettings(floorIpv4, floorIpv6, baseIpv4, baseIpv6, maximum, mtu, raiseTimer, history,
                icmpSequenceWindow, blackHoleRetransmissions, blackHoleWindow, methods, outerDf, dplpmtud);
    }

    /**
     * One floor for both families, as a profile states it: IPv4 takes it as is, IPv6 never below
     * its 1280 minimum; the bases rise with it when they would fall below.
     */
    public PmtuSettings withFloor(int floor) {
        int v6 = Math.max(1280, floor);
        return new PmtuSettings(floor, v6, Math.max(baseIpv4, floor), Math.max(baseIpv6, v6), maximum, fixedMtu,
                raiseTimer, history, icmpSequenceWindow, blackHoleRetransmissions, blackHoleWindow, methods, outerDf,
                dplpmtud);
    }

    public PmtuSettings withMethods(Set<PmtuSource> on) {
        return new PmtuSettings(floorIpv4, floorIpv6, baseIpv4, baseIpv6, maximum, fixedMtu, raiseTimer, history,
                icmpSequenceWindow, blackHoleRetransmissions, blackHoleWindow, on, outerDf, dplpmtud);
    }

    public PmtuSettings withOuterDf(OuterDf df) {
        return new PmtuSettings(floorIpv4, floorIpv6, baseIpv4, baseIpv6, maximum, fixedMtu, raiseTimer, history,
                icmpSequenceWindow, blackHoleRetransmissions, blackHoleWindow, methods, df, dplpmtud);
    }

    public PmtuSettings withDplpmtud(DplpmtudSettings d) {
        return new PmtuSettings(floorIpv4, floorIpv6, baseIpv4, baseIpv6, maximum, fixedMtu, raiseTimer, history,
                icmpSequenceWindow, blackHoleRetransmissions, blackHoleWindow, methods, outerDf, d);
    }

    private static int integer(Properties p, String name, int fallback) {
        return SettingsProperties.integer(p, PREFIX + name, fallback);
    }

    private static Duration duration(Properties p, String name, Duration fallback) {
        return SettingsProperties.duration(p, PREFIX + name, fallback);
    }
}
