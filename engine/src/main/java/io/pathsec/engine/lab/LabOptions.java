package io.pathsec.engine.lab;

import java.time.Duration;
import java.util.Objects;

/**
 * How the R1—R2 path segment behaves, and whether the routers carry the protected networks.
 * Immutable; start from {@link #defaults()} and use the withers.
 *
 * @param pathMtu                MTU of both ends of the R1—R2 link; 1280 (the IPv6 minimum, RFC 8200
 *                               §5, below which the kernel removes IPv6 from the link) to 65535
 * @param icmpBlackHole          R1 and R2 drop ICMP Fragmentation Needed and ICMPv6 Packet Too Big,
 *                               generated or forwarded
 * @param dropFragments          R1 and R2 drop IPv4 fragments and IPv6 Fragment headers forwarded onto
 *                               the R1—R2 link
 * @param mssClamp               R1 lowers the MSS of forwarded SYNs to this value; null for no clamping
 * @param lossPercent            random loss, 0 to 100, of packets R1 sends towards R2
 * @param delay                  extra delay of packets R1 sends towards R2 (needs sch_netem)
 * @param routeProtectedNetworks R1 and R2 route 192.0.2.0/24, 203.0.113.0/24 and their IPv6
 *                               networks, so E1 reaches E2 without a tunnel (a raw baseline)
 * @param nat                    R1 masquerades G1's outer IPv4 address and ports towards R2, a NAT
 *                               between client and gateway (RFC 7296 §2.23)
 */
public record LabOptions(int pathMtu, boolean icmpBlackHole, boolean dropFragments, Integer mssClamp,
                         double lossPercent, Duration delay, boolean routeProtectedNetworks, boolean nat) {

    public static final int DEFAULT_MTU = 1500;
    public static final int MIN_MTU = 1280;
    public static final int MAX_MTU = 65535;
    /** RFC 879: every host accepts 536; lower clamps only break hosts. */
    public static final int MIN_MSS = 536;
    /** Longest delay accepted, so a typo cannot stall every test for minutes. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(10);

    public LabOptions {
        checkMtu(pathMtu);
        checkMss(mssClamp);
        checkLoss(lossPercent);
        checkDelay(delay);
    }

    /** MTU 1500, no black hole, fragments pass, no clamping, no loss or delay, no raw route. */
    public static LabOptions defaults() {
        return new LabOptions(DEFAULT_MTU, false, false, null, 0.0, Duration.ZERO, false, false);
    }

    public LabOptions withPathMtu(int mtu) {
        return new LabOptions(mtu, icmpBlackHole, dropFragments, mssClamp, lossPercent, delay,
                routeProtectedNetworks, nat);
    }

    public LabOptions withIcmpBlackHole(boolean on) {
        return new LabOptions(pathMtu, on, dropFragments, mssClamp, lossPercent, delay, routeProtectedNetworks, nat);
    }

    public LabOptions withDropFragments(boolean on) {
        return new LabOptions(pathMtu, icmpBlackHole, on, mssClamp, lossPercent, delay, routeProtectedNetworks, nat);
    }

    public LabOptions withMssClamp(Integer mss) {
        return new LabOptions(pathMtu, icmpBlackHole, dropFragments, mss, lossPercent, delay, routeProtectedNetworks,
                nat);
    }

    public LabOptions withLossPercent(double percent) {
        return new LabOptions(pathMtu, icmpBlackHole, dropFragments, mssClamp, percent, delay,
                routeProtectedNetworks, nat);
    }

    public LabOptions withDelay(Duration d) {
        return new LabOptions(pathMtu, icmpBlackHole, dropFragments, mssClamp, lossPercent, d,
                routeProtectedNetworks, nat);
    }

    public LabOptions withRouteProtectedNetworks(boolean on) {
        return new LabOptions(pathMtu, icmpBlackHole, dropFragments, mssClamp, lossPercent, delay, on, nat);
    }

    public LabOptions withNat(boolean on) {
        return new LabOptions(pathMtu, icmpBlackHole, dropFragments, mssClamp, lossPercent, delay,
                routeProtectedNetworks,
                on);
    }

    /** Options without a NAT (the settings as they were before the NAT option). */
    public LabOptions(int pathMtu, boolean icmpBlackHole, boolean dropFragments, Integer mssClamp, double lossPercent,
                      Duration delay, boolean routeProtectedNetworks) {
        this(pathMtu, icmpBlackHole, dropFragments, mssClamp, lossPercent, delay, routeProtectedNetworks, false);
    }

    static void checkMtu(int mtu) {
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("path MTU " + mtu + " outside " + MIN_MTU + ".." + MAX_MTU);
        }
    }

    static void checkMss(Integer mss) {
        if (mss != null && (mss < MIN_MSS || mss > MAX_MTU - 40)) {
            throw new IllegalArgumentException("MSS clamp " + mss + " outside " + MIN_MSS + ".." + (MAX_MTU - 40));
        }
    }

    static void checkLoss(double percent) {
        if (!(percent >= 0.0 && percent <= 100.0)) {
            throw new IllegalArgumentException("loss " + percent + " % outside 0..100");
        }
    }

    static void checkDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("delay " + delay + " outside 0.." + MAX_DELAY);
        }
    }
}
