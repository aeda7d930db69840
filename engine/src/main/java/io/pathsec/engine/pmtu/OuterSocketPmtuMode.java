package io.pathsec.engine.pmtu;

import io.pathsec.engine.linux.LinuxLibC;

import java.io.IOException;

import static io.pathsec.engine.linux.LinuxLibC.IPPROTO_IP;
import static io.pathsec.engine.linux.LinuxLibC.IPPROTO_IPV6;
import static io.pathsec.engine.linux.LinuxLibC.IPV6_MTU_DISCOVER;
import static io.pathsec.engine.linux.LinuxLibC.IP_MTU_DISCOVER;
import static io.pathsec.engine.linux.LinuxLibC.IP_PMTUDISC_PROBE;

/**
 * Puts the outer UDP socket in IP_PMTUDISC_PROBE / IPV6_PMTUDISC_PROBE mode (ip(7), ipv6(7)):
 * every datagram leaves with DF set (IPv4) and unfragmented, whatever MTU the kernel has cached
 * for the route. The engine sizes its packets itself from each SA's PLPMTU (RFC 4301 §8.2.1);
 * the kernel must neither fragment them nor refuse them with EMSGSIZE, and its own reaction to
 * ICMP (which anyone can forge) must not shrink the tunnel (RFC 8899 §4.6.1: a PL validates
 * PTB messages before use). DPLPMTUD probes need the same mode (issue 4 item 3).
 */
public final class OuterSocketPmtuMode {
    /** ip(7): IP_PMTUDISC_DONT, never set DF. */
    static final int IP_PMTUDISC_DONT = 0;

    private OuterSocketPmtuMode() {
    }

    /**
     * Sets probe mode for both families on {@code fd} (an AF_INET6 socket carries IPv4 too, as
     * mapped addresses, and takes the IPv4-level option for that traffic).
     *
     * @throws IOException when neither option could be set
     */
    public static void setProbeMode(int fd) throws IOException {
        int v4 = LinuxLibC.setInt(fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_PROBE);
        int v4errno = v4 < 0 ? LinuxLibC.errno() : 0;
        int v6 = LinuxLibC.setInt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, IP_PMTUDISC_PROBE);
        if (v4 < 0 && v6 < 0) {
            throw LinuxLibC.error("setsockopt(IP_MTU_DISCOVER, IP_PMTUDISC_PROBE)", v4errno);
        }
    }

    /**
     * Runs {@code send} with {@code fd} in probe mode and then restores the modes it had: for a
     * socket that must keep the kernel's ordinary behaviour for everything else (IKE on port 500,
     * whose large IKE_AUTH messages the kernel may fragment) but sends DPLPMTUD probes with DF
     * set whatever the route's cached MTU (RFC 8899 §4.4). Callers serialise their sends.
     */
    public static void whileProbing(int fd, Runnable send) throws IOException {
        int v4 = modeOr(fd, IPPROTO_IP, IP_MTU_DISCOVER);
        int v6 = modeOr(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER);
        setProbeMode(fd);
        try {
            send.run();
        } finally {
            if (v4 >= 0) {
                LinuxLibC.setInt(fd, IPPROTO_IP, IP_MTU_DISCOVER, v4);
            }
            if (v6 >= 0) {
                LinuxLibC.setInt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, v6);
            }
        }
    }

    /**
     * The IPv4 DF bit of what {@code fd} sends from now on (RFC 4301 §8.1): set (probe mode, as
     * {@link #setProbeMode}) or clear (IP_PMTUDISC_DONT: no DF; the kernel fragments locally what
     * exceeds the interface MTU, routers may fragment on the way). IPv4 only: an IPv6 outer
     * header has no DF bit, and the IPv6-level mode stays in probe mode.
     *
     * @throws IOException when the option cannot be set
     */
    public static void setIpv4Df(int fd, boolean df) throws IOException {
        if (LinuxLibC.setInt(fd, IPPROTO_IP, IP_MTU_DISCOVER, df ? IP_PMTUDISC_PROBE : IP_PMTUDISC_DONT) < 0) {
            throw LinuxLibC.error("setsockopt(IP_MTU_DISCOVER)", LinuxLibC.errno());
        }
    }

    /** The mode at one level, or -1 when the socket has none there (an IPv4 socket at the IPv6 level). */
    private static int modeOr(int fd, int level, int option) {
        try {
            return LinuxLibC.getInt(fd, level, option, "getsockopt(MTU_DISCOVER)");
        } catch (IOException e) {
            return -1;
        }
    }

    /** The IPv4-level mode now on the socket (3 = probe), for tests and diagnostics. */
    public static int ipv4Mode(int fd) throws IOException {
        return LinuxLibC.getInt(fd, IPPROTO_IP, IP_MTU_DISCOVER, "getsockopt(IP_MTU_DISCOVER)");
    }
}
