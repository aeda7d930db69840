package io.pathsec.engine.pmtu.tcpmss;

import io.pathsec.engine.linux.LinuxLibC;

import java.io.IOException;
import java.nio.ByteBuffer;

import static io.pathsec.engine.linux.LinuxLibC.IPPROTO_TCP;
import static io.pathsec.engine.linux.LinuxLibC.TCP_INFO;
import static io.pathsec.engine.linux.LinuxLibC.TCP_MAXSEG;

/**
 * The MSS one end of a connected TCP socket observed: the MSS option the other end sent in its
 * SYN as it arrived here, after every middlebox on the way clamped it (the seed proposal's
 * signal), bounded by our own route's MTU.
 *
 * <p>Linux's TCP_MAXSEG on a connected socket (tcp(7)) is the segment size it will send, which is
 * that MSS minus the TCP options carried in every segment: the 12 octets of the timestamp option
 * (RFC 7323 §3.2, 10 octets padded to 12) when both ends negotiated it, which TCP_INFO's
 * {@code tcpi_options} says. Adding them back gives the MSS as announced, from which the path MTU
 * is MSS + IP header + 20 octets of TCP header (RFC 879, RFC 6691 §2: the MSS counts neither
 * headers nor options).
 */
final class ObservedMss {
    /** TCP header without options (RFC 9293 §3.1). */
    static final int TCP_HEADER = 20;
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;
    /** The timestamp option as Linux lays it out in every segment (TCPOLEN_TSTAMP_ALIGNED). */
    static final int TIMESTAMP_OPTION = 12;
    /** {@code struct tcp_info}: tcpi_options is the sixth octet; TCPI_OPT_TIMESTAMPS its bit 0. */
    private static final int TCPI_OPTIONS_OFFSET = 5;
    private static final int TCPI_OPT_TIMESTAMPS = 1;
    /** Enough of {@code struct tcp_info} for the fixed leading fields. */
    private static final int TCP_INFO_PREFIX = 32;

    private ObservedMss() {
    }

    /** The MSS the peer announced as it arrived here, read from a connected socket. */
    static int read(int fd) throws IOException {
        int maxseg = LinuxLibC.getInt(fd, IPPROTO_TCP, TCP_MAXSEG, "getsockopt(TCP_MAXSEG)");
        ByteBuffer info = LinuxLibC.getStruct(fd, IPPROTO_TCP, TCP_INFO, TCP_INFO_PREFIX, "getsockopt(TCP_INFO)");
        boolean timestamps = info.limit() > TCPI_OPTIONS_OFFSET
                && (info.get(TCPI_OPTIONS_OFFSET) & TCPI_OPT_TIMESTAMPS) != 0;
        return announced(maxseg, timestamps);
    }

    /** TCP_MAXSEG plus the per-segment options it had subtracted. */
    static int announced(int maxseg, boolean timestamps) {
        return maxseg + (timestamps ? TIMESTAMP_OPTION : 0);
    }

    /**
     * The path MTU both observations allow: the smaller MSS (clamping may happen in one direction
     * only, and ESP uses the path both ways) plus the IP and TCP headers.
     */
    static int pathMtu(int localMss, int peerMss, boolean ipv6) {
        return Math.min(localMss, peerMss) + (ipv6 ? IPV6_HEADER : IPV4_HEADER) + TCP_HEADER;
    }
}
