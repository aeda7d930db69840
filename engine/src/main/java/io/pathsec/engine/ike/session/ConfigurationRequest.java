package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.message.ConfigAttribute;
import io.pathsec.engine.ike.message.ConfigAttributeType;
import io.pathsec.engine.ike.message.ConfigType;
import io.pathsec.engine.ike.message.IkeConfigPayload;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.policy.AddressRange;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A road warrior's side of the configuration payload (RFC 7296 §2.19, §3.15): the CFG_REQUEST it
 * sends in IKE_AUTH, and what it takes from the gateway's CFG_REPLY — virtual IPv4 and IPv6
 * addresses, DNS servers of both families, and the protected subnets (§3.15.2).
 */
final class ConfigurationRequest {
    /**
     * What the gateway assigned.
     *
     * @param ipv4             INTERNAL_IP4_ADDRESS, or null
     * @param ipv6             INTERNAL_IP6_ADDRESS, or null
     * @param ipv6PrefixLength the prefix length that came with it (128 when none)
     * @param dns              INTERNAL_IP4_DNS and INTERNAL_IP6_DNS, in the order received
     * @param subnets          INTERNAL_IP4_SUBNET and INTERNAL_IP6_SUBNET as prefixes
     */
    record Assigned(InetAddress ipv4, InetAddress ipv6, int ipv6PrefixLength, List<InetAddress> dns,
                    List<String> subnets) {
        Assigned {
            dns = List.copyOf(dns);
            subnets = List.copyOf(subnets);
        }
    }

    private ConfigurationRequest() {
    }

    /** CFG_REQUEST for an IPv4 address and DNS, and with {@code ipv6} the same for IPv6 and the subnets. */
    static IkeConfigPayload payload(boolean ipv6) {
        List<ConfigAttribute> wanted = new ArrayList<>(List.of(
                ConfigAttribute.request(ConfigAttributeType.INTERNAL_IP4_ADDRESS),
                ConfigAttribute.request(ConfigAttributeType.INTERNAL_IP4_DNS)));
        if (ipv6) {
            wanted.add(ConfigAttribute.request(ConfigAttributeType.INTERNAL_IP6_ADDRESS));
            wanted.add(ConfigAttribute.request(ConfigAttributeType.INTERNAL_IP6_DNS));
            wanted.add(ConfigAttribute.request(ConfigAttributeType.INTERNAL_IP4_SUBNET));
            wanted.add(ConfigAttribute.request(ConfigAttributeType.INTERNAL_IP6_SUBNET));
        }
        return new IkeConfigPayload(ConfigType.CFG_REQUEST, wanted);
    }

    /** Reads the CFG_REPLY of an IKE_AUTH answer; nothing assigned when there is none. */
    static Assigned assigned(IkeMessage response) {
        InetAddress v4 = null;
        InetAddress v6 = null;
        int v6Prefix = 128;
        List<InetAddress> dns = new ArrayList<>();
        List<String> subnets = new ArrayList<>();
        Optional<IkeConfigPayload> cp = response.first(IkeConfigPayload.class)
                .filter(c -> c.configType() == ConfigType.CFG_REPLY);
        for (ConfigAttribute a : cp.map(IkeConfigPayload::attributes).orElse(List.of())) {
            Optional<ConfigAttributeType> type = a.knownType();
            Optional<InetAddress> address = a.address();
            if (type.isEmpty() || address.isEmpty()) {
                continue; // unknown attributes and empty values carry nothing for us (§3.15.1)
            }
            switch (type.get()) {
                case INTERNAL_IP4_ADDRESS -> v4 = v4 == null ? address.get() : v4;
                case INTERNAL_IP6_ADDRESS -> {
                    if (v6 == null) {
                        v6 = address.get();
                        v6Prefix = a.value()[16] & 0xff;
                    }
                }
                case INTERNAL_IP4_DNS, INTERNAL_IP6_DNS -> dns.add(address.get());
                case INTERNAL_IP4_SUBNET -> subnets.add(AddressRange.format(address.get()) + "/"
                        + maskLength(java.util.Arrays.copyOfRange(a.value(), 4, 8)));
                case INTERNAL_IP6_SUBNET -> subnets.add(AddressRange.format(address.get()) + "/" + (a.value()[16] & 0xff));
                default -> {
                }
            }
        }
        return new Assigned(v4, v6, v6Prefix, dns, subnets);
    }

    /** 255.255.255.0 -> 24; a mask with holes counts its leading ones. */
    private static int maskLength(byte[] mask) {
        int bits = new BigInteger(1, mask).not().and(BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE)).bitLength();
        return 32 - bits;
    }
}
