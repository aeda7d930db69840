package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.message.ConfigAttribute;
import io.pathsec.engine.ike.message.ConfigAttributeType;
import io.pathsec.engine.ike.message.ConfigType;
import io.pathsec.engine.ike.message.IkeConfigPayload;
import io.pathsec.engine.ike.message.TrafficSelector;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway's answer to CP(CFG_REQUEST) (RFC 7296 §2.19, §3.15): a virtual address of each
 * family the client asked for and the pool has, DNS servers of those families, and, when asked,
 * the protected subnets (§3.15.2). Leases are taken here and released by the session's end.
 */
final class ConfigurationReply {
    /**
     * @param ipv4    the IPv4 address leased, or null
     * @param ipv6    the IPv6 address leased, or null
     * @param payload the CFG_REPLY, or null when nothing could be assigned (INTERNAL_ADDRESS_FAILURE)
     */
    record Answer(InetAddress ipv4, InetAddress ipv6, IkeConfigPayload payload) {
    }

    private ConfigurationReply() {
    }

    /** Whether a CFG_REQUEST asks for a virtual address of either family. */
    static boolean asksForAddress(IkeConfigPayload request) {
        return asks(request, ConfigAttributeType.INTERNAL_IP4_ADDRESS) || asks(request, ConfigAttributeType.INTERNAL_IP6_ADDRESS);
    }

    /**
     * Leases what {@code request} asks for from {@code pool} (null: none) for {@code identity}.
     * An address family the pool lacks is left out; with no address at all the answer has no payload.
     */
    static Answer answer(IkeConfigPayload request, AddressPool pool, String identity, List<InetAddress> dns,
                         List<TrafficSelector> localTs) {
        InetAddress v4 = pool != null && asks(request, ConfigAttributeType.INTERNAL_IP4_ADDRESS)
                ? pool.lease(identity).orElse(null) : null;
        InetAddress v6 = pool != null && asks(request, ConfigAttributeType.INTERNAL_IP6_ADDRESS)
                ? pool.lease6(identity).orElse(null) : null;
        if (v4 == null && v6 == null) {
            return new Answer(null, null, null);
        }
        List<ConfigAttribute> reply = new ArrayList<>();
        if (v4 != null) {
            reply.add(ConfigAttribute.address(ConfigAttributeType.INTERNAL_IP4_ADDRESS, v4));
        }
        if (v6 != null) {
            reply.add(ConfigAttribute.ip6WithPrefix(ConfigAttributeType.INTERNAL_IP6_ADDRESS, v6, pool.ipv6PrefixLength()));
        }
        for (InetAddress server : dns) {
            boolean four = server.getAddress().length == 4;
            if (four ? v4 != null : v6 != null) {
                reply.add(ConfigAttribute.address(four ? ConfigAttributeType.INTERNAL_IP4_DNS
                        : ConfigAttributeType.INTERNAL_IP6_DNS, server));
            }
        }
        for (TrafficSelector ts : localTs) {
            boolean four = ts.startAddress().getAddress().length == 4;
            int prefix = prefixLength(ts);
            if (prefix < 0) {
                continue; // a range that is no prefix cannot be said as a subnet
            }
            if (four && asks(request, ConfigAttributeType.INTERNAL_IP4_SUBNET)) {
                reply.add(ConfigAttribute.ip4Subnet(ts.startAddress(), netmask(prefix)));
            } else if (!four && asks(request, ConfigAttributeType.INTERNAL_IP6_SUBNET)) {
                reply.add(ConfigAttribute.ip6WithPrefix(ConfigAttributeType.INTERNAL_IP6_SUBNET, ts.startAddress(), prefix));
            }
        }
        return new Answer(v4, v6, new IkeConfigPayload(ConfigType.CFG_REPLY, reply));
    }

    private static boolean asks(IkeConfigPayload request, ConfigAttributeType type) {
        return request.attributes().stream().anyMatch(a -> a.type() == type.value());
    }

    /** The prefix length of a selector that covers exactly one prefix, else -1. */
    private static int prefixLength(TrafficSelector ts) {
        int bits = ts.startAddress().getAddress().length * 8;
        BigInteger low = new BigInteger(1, ts.startAddress().getAddress());
        BigInteger size = new BigInteger(1, ts.endAddress().getAddress()).subtract(low).add(BigInteger.ONE);
        if (size.bitCount() != 1 || low.mod(size).signum() != 0) {
            return -1;
        }
        return bits - size.bitLength() + 1;
    }

    private static InetAddress netmask(int prefix) {
        long mask = prefix == 0 ? 0 : 0xffffffffL << (32 - prefix);
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8),
                    (byte) mask});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
