package io.pathsec.engine.packet;

/**
 * Assigned Internet Protocol numbers (IANA "protocol-numbers" registry) used by this package:
 * the IPv4 protocol field and the IPv6 next header field share one number space.
 */
public final class IpProtocol {
    public static final int HOP_BY_HOP_OPTIONS = 0;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int IPV6_ROUTING = 43;
    public static final int IPV6_FRAGMENT = 44;
    public static final int ESP = 50;
    public static final int AH = 51;
    public static final int ICMPV6 = 58;
    public static final int IPV6_NO_NEXT_HEADER = 59;
    public static final int IPV6_DESTINATION_OPTIONS = 60;
    public static final int MOBILITY = 135;
    public static final int HIP = 139;
    public static final int SHIM6 = 140;

    private IpProtocol() {
    }

    /**
     * Whether {@code nextHeader} is an IPv6 extension header that can be walked with its own
     * length field (RFC 8200 §4, and the list of RFC 7045 §4). ESP is not walked: what follows it
     * is encrypted.
     */
    public static boolean isIpv6ExtensionHeader(int nextHeader) {
        return switch (nextHeader) {
            case HOP_BY_HOP_OPTIONS, IPV6_ROUTING, IPV6_FRAGMENT, AH, IPV6_DESTINATION_OPTIONS,
                    MOBILITY, HIP, SHIM6 -> true;
            default -> false;
        };
    }
}
