package io.pathsec.engine.pmtu;

import java.time.Duration;
import java.util.Properties;

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
 */
public record PmtuSettings(int floorIpv4, int floorIpv6, int baseIpv4, int baseIpv6, int maximum, int fixedMtu,
                           Duration raiseTimer, int history, int icmpSequenceWindow,
                           int blackHoleRetransmissions, Duration blackHoleWindow) {

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
    }

    public static PmtuSettings defaults() {
        return new PmtuSettings(576, 1280, 1200, 1280, 1500, 0, Duration.ofSeconds(600), 64, 16384,
                3, Duration.ofSeconds(3));
    }

    /** The defaults, overridden by {@code pathsec.pmtu.<component>} properties (durations ISO-8601). */
    public static PmtuSettings fromProperties(Properties p) {
        PmtuSettings d = defaults();
        return new PmtuSettings(
                integer(p, "floorIpv4", d.floorIpv4), integer(p, "floorIpv6", d.floorIpv6),
                integer(p, "baseIpv4", d.baseIpv4), integer(p, "baseIpv6", d.baseIpv6),
                integer(p, "maximum", d.maximum), integer(p, "fixedMtu", d.fixedMtu),
                duration(p, "raiseTimer", d.raiseTimer), integer(p, "history", d.history),
                integer(p, "icmpSequenceWindow", d.icmpSequenceWindow),
                integer(p, "blackHoleRetransmissions", d.blackHoleRetransmissions),
                duration(p, "blackHoleWindow", d.blackHoleWindow));
    }

    public int floor(boolean outerIpv6) {
        return outerIpv6 ? floorIpv6 : floorIpv4;
    }

    public int base(boolean outerIpv6) {
        return outerIpv6 ? baseIpv6 : baseIpv4;
    }

    public PmtuSettings withRaiseTimer(Duration d) {
        return new PmtuSettings(floorIpv4, floorIpv6, baseIpv4, baseIpv6, maximum, fixedMtu, d, history,
                icmpSequenceWindow, blackHoleRetransmissions, blackHoleWindow);
    }

    public PmtuSettings withFixedMtu(int mtu) {
        return new PmtuSettings(floorIpv4, floorIpv6, baseIpv4, baseIpv6, maximum, mtu, raiseTimer, history,
                icmpSequenceWindow, blackHoleRetransmissions, blackHoleWindow);
    }

    private static int integer(Properties p, String name, int fallback) {
        String v = p.getProperty(PREFIX + name);
        return v == null ? fallback : Integer.parseInt(v.trim());
    }

    private static Duration duration(Properties p, String name, Duration fallback) {
        String v = p.getProperty(PREFIX + name);
        return v == null ? fallback : Duration.parse(v.trim());
    }
}
