package io.pathsec.engine.config;

import io.pathsec.engine.policy.AddressRange;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An address with a prefix length, as written for interfaces ({@code 10.0.0.1/24}: the host
 * bits are the point) and routes ({@code 203.0.113.0/24}: see {@link #isNetwork()}).
 */
public record IpPrefix(InetAddress address, int length) {
    public IpPrefix {
        Objects.requireNonNull(address, "address");
        int max = address.getAddress().length * 8;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length must be 0-" + max + ", got " + length);
        }
    }

    /** The single address as a prefix: /32 or /128. */
    public static IpPrefix host(InetAddress address) {
        return new IpPrefix(address, address.getAddress().length * 8);
    }

    /** Parses {@code address/length}; a bare address means the whole address (/32 or /128). */
    public static IpPrefix parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        InetAddress address = AddressRange.parseAddress(slash < 0 ? s : s.substring(0, slash));
        int max = address.getAddress().length * 8;
        if (slash < 0) {
            return new IpPrefix(address, max);
        }
        String digits = s.substring(slash + 1);
        if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + s + "' has no valid prefix length");
        }
        return new IpPrefix(address, Integer.parseInt(digits));
    }

    /** True when no host bits are set, as a route's destination must be. */
    public boolean isNetwork() {
        return range().low().equals(address);
    }

    /** The addresses this prefix covers. */
    public AddressRange range() {
        return AddressRange.prefix(address, length);
    }

    /** 4 or 6. */
    public int family() {
        return address.getAddress().length == 4 ? 4 : 6;
    }

    @Override
    public String toString() {
        return AddressRange.format(address) + "/" + length;
    }
}
