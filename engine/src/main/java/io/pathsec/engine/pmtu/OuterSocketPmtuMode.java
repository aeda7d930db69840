package io.pathsec.engine.pmtu;

import java.io.IOException;

import static io.pathsec.engine.pmtu.PmtuLibC.IPPROTO_IP;
import static io.pathsec.engine.pmtu.PmtuLibC.IPPROTO_IPV6;
import static io.pathsec.engine.pmtu.PmtuLibC.IPV6_MTU_DISCOVER;
import static io.pathsec.engine.pmtu.PmtuLibC.IP_MTU_DISCOVER;
import static io.pathsec.engine.pmtu.PmtuLibC.IP_PMTUDISC_PROBE;

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
        int v4 = PmtuLibC.setInt(fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_PROBE);
        int v4errno = v4 < 0 ? PmtuLibC.errno() : 0;
        int v6 = PmtuLibC.setInt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, IP_PMTUDISC_PROBE);
        if (v4 < 0 && v6 < 0) {
            throw PmtuLibC.error("setsockopt(IP_MTU_DISCOVER, IP_PMTUDISC_PROBE)", v4errno);
        }
    }

    /**
     * Runs {@code send} with {@code fd} in probe mode and then restores the modes it had: for a
     * socket that must keep the kernel's ordinary behaviour for everything else (IKE on port 500,
     * whose large IKE_AUTH messages the kernel may fragment) but sends DPLPMTUD probes with DF
     * set whatever the route's cached MTU (RFC 8899 §4.4). Callers serialise their sends.
     */
    public static void whileProbing(int fd, Runnable send) throws IOException {
        int v4 = PmtuLibC.getIntOr(fd, IPPROTO_IP, IP_MTU_DISCOVER, -1);
        int v6 = PmtuLibC.getIntOr(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, -1);
        setProbeMode(fd);
        try {
            send.run();
        } finally {
            if (v4 >= 0) {
                PmtuLibC.setInt(fd, IPPROTO_IP, IP_MTU_DISCOVER, v4);
            }
            if (v6 >= 0) {
                PmtuLibC.setInt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, v6);
            }
        }
    }

    /** The IPv4-level mode now on the socket (3 = probe), for tests and diagnostics. */
    public static int ipv4Mode(int fd) throws IOException {
        return PmtuLibC.getInt(fd, IPPROTO_IP, IP_MTU_DISCOVER);
    }
}
