package io.pathsec.engine.ike.fragment;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Whether and how an IKE SA fragments (RFC 7383): announced with IKEV2_FRAGMENTATION_SUPPORTED
 * in IKE_SA_INIT (§2.3), used only when both sides announced it.
 *
 * @param supported          announce (and accept) IKE fragmentation
 * @param fragmentSize       the largest IP datagram a fragment may fill, IP and UDP headers
 *                           included; 0 takes the outer path MTU when one is known, else the
 *                           sizes every path carries: 1280 for IPv6, 576 for IPv4 (§2.5.1)
 * @param maxFragments       the most fragments a received message may have (§5: a receiver
 *                           limits the resources a peer can tie up)
 * @param reassemblyTimeout  how long a partly received message is kept (§2.6)
 */
public record IkeFragmentPolicy(boolean supported, int fragmentSize, int maxFragments, Duration reassemblyTimeout) {
    /** §2.5.1: the IPv6 minimum MTU (RFC 8200 §5). */
    public static final int IPV6_DEFAULT_SIZE = 1280;
    /** §2.5.1: the datagram size every IPv4 host must accept (RFC 791). */
    public static final int IPV4_DEFAULT_SIZE = 576;
    /** Below this nothing useful fits in a fragment beside the headers, IV and ICV. */
    public static final int MIN_SIZE = 256;
    public static final int MAX_SIZE = 65535;

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int UDP_HEADER = 8;
    /** RFC 3948 §2.2: IKE on port 4500 carries four zero octets before the IKE header. */
    private static final int NON_ESP_MARKER = 4;

    /** Supported, sized from the path, at most 64 fragments kept for 30 s. */
    public static final IkeFragmentPolicy DEFAULT = new IkeFragmentPolicy(true, 0, 64, Duration.ofSeconds(30));
    public static final IkeFragmentPolicy OFF = new IkeFragmentPolicy(false, 0, 64, Duration.ofSeconds(30));

    public IkeFragmentPolicy {
        if (fragmentSize != 0 && (fragmentSize < MIN_SIZE || fragmentSize > MAX_SIZE)) {
            throw new IllegalArgumentException("IKE fragment size " + fragmentSize + " outside " + MIN_SIZE + ".."
                    + MAX_SIZE + " (0 for automatic)");
        }
        if (maxFragments < 1 || maxFragments > 0xffff) {
            throw new IllegalArgumentException("maximum IKE fragments " + maxFragments + " outside 1..65535");
        }
        if (reassemblyTimeout.isNegative() || reassemblyTimeout.isZero()) {
            throw new IllegalArgumentException("IKE reassembly timeout must be positive");
        }
    }

    /** The default policy with a configured fragment size (0: automatic). */
    public static IkeFragmentPolicy withSize(int fragmentSize) {
        return new IkeFragmentPolicy(true, fragmentSize, DEFAULT.maxFragments, DEFAULT.reassemblyTimeout);
    }

    /**
     * The largest IKE message (header to last octet) one datagram to {@code peer} may carry.
     *
     * @param pathMtu the outer path MTU towards the peer when known, else 0
     * @param natTraversal the message travels on port 4500 behind the non-ESP marker
     */
    public int maxMessageSize(InetAddress peer, boolean natTraversal, int pathMtu) {
        boolean v6 = peer instanceof Inet6Address;
        int datagram = fragmentSize != 0 ? fragmentSize
                : pathMtu > 0 ? Math.max(pathMtu, MIN_SIZE) : v6 ? IPV6_DEFAULT_SIZE : IPV4_DEFAULT_SIZE;
        return datagram - (v6 ? IPV6_HEADER : IPV4_HEADER) - UDP_HEADER - (natTraversal ? NON_ESP_MARKER : 0);
    }
}
