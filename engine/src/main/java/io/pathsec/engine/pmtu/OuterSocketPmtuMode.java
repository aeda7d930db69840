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

    /** The IPv4-level mode now on the socket (3 = probe), for tests and diagnostics. */
    public static int ipv4Mode(int fd) throws IOException {
        return LinuxLibC.getInt(fd, IPPROTO_IP, IP_MTU_DISCOVER, "getsockopt(IP_MTU_DISCOVER)");
    }
}
