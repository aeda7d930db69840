package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * One configuration attribute (RFC 7296 §3.15.1). An empty value is a request ("give me one");
 * a non-empty value must have the length the table in §3.15.1 gives for its type.
 *
 * @param type 15-bit Attribute Type, raw so unknown types pass through
 */
public record ConfigAttribute(int type, byte[] value) {
    public ConfigAttribute {
        value = value.clone();
    }

    public static ConfigAttribute request(ConfigAttributeType type) {
        return new ConfigAttribute(type.value(), new byte[0]);
    }

    /** An attribute whose value is one address (IP4 address, netmask, DNS, IP6 DNS). */
    public static ConfigAttribute address(ConfigAttributeType type, InetAddress address) {
        return new ConfigAttribute(type.value(), address.getAddress());
    }

    /** INTERNAL_IP6_ADDRESS and INTERNAL_IP6_SUBNET: 16-octet address then prefix length. */
    public static ConfigAttribute ip6WithPrefix(ConfigAttributeType type, InetAddress address, int prefixLength) {
        byte[] v = new byte[17];
        System.arraycopy(address.getAddress(), 0, v, 0, 16);
        v[16] = (byte) prefixLength;
        return new ConfigAttribute(type.value(), v);
    }

    /** INTERNAL_IP4_SUBNET: address then netmask, 4 octets each. */
    public static ConfigAttribute ip4Subnet(InetAddress address, InetAddress netmask) {
        byte[] v = new byte[8];
        System.arraycopy(address.getAddress(), 0, v, 0, 4);
        System.arraycopy(netmask.getAddress(), 0, v, 4, 4);
        return new ConfigAttribute(ConfigAttributeType.INTERNAL_IP4_SUBNET.value(), v);
    }

    public Optional<ConfigAttributeType> knownType() {
        return ConfigAttributeType.fromValue(type);
    }

    /** The address that starts the value, for address-valued attributes that are not requests. */
    public Optional<InetAddress> address() {
        int size = switch (knownType().orElse(ConfigAttributeType.APPLICATION_VERSION)) {
            case INTERNAL_IP4_ADDRESS, INTERNAL_IP4_NETMASK, INTERNAL_IP4_DNS, INTERNAL_IP4_NBNS, INTERNAL_IP4_DHCP,
                    INTERNAL_IP4_SUBNET -> 4;
            case INTERNAL_IP6_ADDRESS, INTERNAL_IP6_DNS, INTERNAL_IP6_DHCP, INTERNAL_IP6_SUBNET -> 16;
            default -> 0;
        };
        if (size == 0 || value.length < size) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(java.util.Arrays.copyOf(value, size)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    static ConfigAttribute decode(BodyReader in) throws InvalidSyntaxException {
        int type = in.u16() & 0x7fff; // the top bit is reserved (§3.15.1)
        int length = in.u16();
        byte[] value = in.bytes(length);
        ConfigAttributeType known = ConfigAttributeType.fromValue(type).orElse(null);
        if (known != null && length != 0 && !lengthFits(known, length)) {
            throw new InvalidSyntaxException("CP: " + known + " of " + length + " octets");
        }
        return new ConfigAttribute(type, value);
    }

    private static boolean lengthFits(ConfigAttributeType type, int length) {
        return switch (type) {
            case INTERNAL_IP4_ADDRESS, INTERNAL_IP4_NETMASK, INTERNAL_IP4_DNS, INTERNAL_IP4_NBNS,
                    INTERNAL_IP4_DHCP -> length == 4;
            case INTERNAL_IP6_ADDRESS, INTERNAL_IP6_SUBNET -> length == 17;
            case INTERNAL_IP6_DNS, INTERNAL_IP6_DHCP -> length == 16;
            case INTERNAL_IP4_SUBNET -> length == 8;
            case SUPPORTED_ATTRIBUTES -> length % 2 == 0;
            case APPLICATION_VERSION -> true;
        };
    }

    void encode(ByteBuf out) {
        out.writeShort(type & 0x7fff);
        out.writeShort(value.length);
        out.writeBytes(value);
    }
}
