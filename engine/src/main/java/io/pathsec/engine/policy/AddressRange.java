package io.pathsec.engine.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An inclusive range of IPv4 or IPv6 addresses, the address selector of RFC 4301 §4.4.1.1
 * ("a range of addresses, a subnet expressed as a prefix, or ANY"). Addresses compare as
 * unsigned big-endian numbers, so a prefix is just the range from its first to its last address.
 *
 * <p>{@link #ANY} matches both families; {@code 0.0.0.0/0} matches every IPv4 address and
 * {@code ::/0} every IPv6 address. {@link #contains(byte[], int)} allocates nothing: it runs
 * for every packet that misses the SPD cache.
 */
public final class AddressRange {
    /** Every address of either family (RFC 4301 "ANY"). */
    public static final AddressRange ANY = new AddressRange(0, null, null);

    /** 4 or 16; 0 for {@link #ANY}. */
    private final int length;
    private final byte[] low;
    private final byte[] high;

    private AddressRange(int length, byte[] low, byte[] high) {
        this.length = length;
        this.low = low;
        this.high = high;
    }

    /**
     * Parses {@code any}, a single address, a prefix ({@code 192.0.2.0/24}, {@code 2001:db8::/32})
     * or a range ({@code 198.51.100.1-198.51.100.9}). Only literals are accepted, never host
     * names: a policy must not depend on DNS.
     *
     * @throws IllegalArgumentException with a message fit for a user
     */
    public static AddressRange parse(String text) {
        String s = text.trim();
        if (s.equalsIgnoreCase("any")) {
            return ANY;
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            InetAddress network = parseAddress(s.substring(0, slash));
            int prefix = parsePrefixLength(s.substring(slash + 1), network.getAddress().length * 8, s);
            AddressRange range = prefix(network, prefix);
            if (!Arrays.equals(range.low, network.getAddress())) {
                throw new IllegalArgumentException("'" + s + "' has host bits set; the network is "
                        + range);
            }
            return range;
        }
        int dash = s.indexOf('-');
        if (dash >= 0) {
            return range(parseAddress(s.substring(0, dash)), parseAddress(s.substring(dash + 1)));
        }
        return single(parseAddress(s));
    }

    /** All addresses that share the first {@code prefixLength} bits with {@code network}. */
    public static AddressRange prefix(InetAddress network, int prefixLength) {
        byte[] bytes = network.getAddress();
        if (prefixLength < 0 || prefixLength > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length must be 0-" + bytes.length * 8
                    + ", got " + prefixLength);
        }
        byte[] low = bytes.clone();
        byte[] high = bytes.clone();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            int mask = 0x80 >>> (bit & 7);
            low[bit >>> 3] &= (byte) ~mask;
            high[bit >>> 3] |= (byte) mask;
        }
        return new AddressRange(bytes.length, low, high);
    }

    /** The addresses from {@code low} to {@code high} inclusive; both of one family. */
    public static AddressRange range(InetAddress low, InetAddress high) {
        byte[] l = low.getAddress();
        byte[] h = high.getAddress();
        if (l.length != h.length) {
            throw new IllegalArgumentException("range " + low.getHostAddress() + "-"
                    + high.getHostAddress() + " mixes IPv4 and IPv6");
        }
        if (Arrays.compareUnsigned(l, h) > 0) {
            throw new IllegalArgumentException("range " + low.getHostAddress() + "-"
                    + high.getHostAddress() + " starts after it ends");
        }
        return new AddressRange(l.length, l, h);
    }

    public static AddressRange single(InetAddress address) {
        byte[] bytes = address.getAddress();
        return new AddressRange(bytes.length, bytes, bytes.clone());
    }

    /**
     * Parses an IPv4 or IPv6 address literal without ever asking DNS. IPv4 must be four decimal
     * octets without leading zeros (so {@code 010.0.0.1} cannot mean octal to someone else).
     *
     * @throws IllegalArgumentException if {@code text} is not a literal
     */
    public static InetAddress parseAddress(String text) {
        String s = text.trim();
        byte[] bytes = s.indexOf(':') >= 0 ? parseIpv6(s) : parseIpv4(s);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + s + "' is not an IPv4 or IPv6 address");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for wrong lengths, which cannot happen
        }
    }

    private static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            bytes[i] = (byte) v;
        }
        return bytes;
    }

    private static byte[] parseIpv6(String s) {
        // Only hex digits, ':' and '.' (embedded IPv4) reach the JDK parser, which then treats
        // the text as a literal and never resolves it. Zone ids (%eth0) have no place in a policy.
        if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        try {
            InetAddress address = InetAddress.getByName(s);
            // The JDK turns ::ffff:a.b.c.d into an IPv4 address; a selector must say which it means.
            return address instanceof Inet4Address ? null : address.getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int parsePrefixLength(String text, int max, String whole) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + whole + "' has no valid prefix length");
        }
        int prefix = Integer.parseInt(text);
        if (prefix > max) {
            throw new IllegalArgumentException("'" + whole + "': prefix length must be 0-" + max);
        }
        return prefix;
    }

    /**
     * True if the first {@code addressLength} bytes of {@code address} (4 for IPv4, 16 for IPv6)
     * fall in this range. An address of the other family is never contained, except in ANY.
     */
    public boolean contains(byte[] address, int addressLength) {
        if (length == 0) {
            return true;
        }
        return addressLength == length
                && Arrays.compareUnsigned(low, 0, length, address, 0, length) <= 0
                && Arrays.compareUnsigned(address, 0, length, high, 0, length) <= 0;
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return contains(bytes, bytes.length);
    }

    public boolean isAny() {
        return length == 0;
    }

    /** 4 for IPv4, 6 for IPv6, 0 for {@link #ANY}. */
    public int family() {
        return switch (length) {
            case 4 -> 4;
            case 16 -> 6;
            default -> 0;
        };
    }

    /** True if the range holds exactly one address. */
    public boolean isSingle() {
        return length != 0 && Arrays.equals(low, high);
    }

    /** The first address; not defined for {@link #ANY}. */
    public InetAddress low() {
        return toAddress(low);
    }

    /** The last address; not defined for {@link #ANY}. */
    public InetAddress high() {
        return toAddress(high);
    }

    /** The prefix length if this range is exactly one CIDR prefix, else -1. */
    public int prefixLength() {
        if (length == 0) {
            return -1;
        }
        int bits = length * 8;
        int prefix = 0;
        while (prefix < bits && bit(low, prefix) == bit(high, prefix)) {
            prefix++;
        }
        for (int i = prefix; i < bits; i++) {
            if (bit(low, i) != 0 || bit(high, i) != 1) {
                return -1;
            }
        }
        return prefix;
    }

    private static int bit(byte[] bytes, int index) {
        return (bytes[index >>> 3] >>> (7 - (index & 7))) & 1;
    }

    private InetAddress toAddress(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalStateException("ANY has no bounds");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.length == length
                && Arrays.equals(r.low, low) && Arrays.equals(r.high, high);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(low) + Arrays.hashCode(high);
    }

    /** The form {@link #parse} reads back: {@code any}, an address, a prefix or a range. */
    @Override
    public String toString() {
        if (length == 0) {
            return "any";
        }
        if (isSingle()) {
            return format(low);
        }
        int prefix = prefixLength();
        if (prefix >= 0) {
            return format(low) + "/" + prefix;
        }
        return format(low) + "-" + format(high);
    }

    /** IPv4 dotted quad, or IPv6 in the RFC 5952 canonical text form (the JDK does not compress). */
    public static String format(InetAddress address) {
        return format(address.getAddress());
    }

    private static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "."
                    + (bytes[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        // RFC 5952 §4.2: "::" replaces the longest run (first if tied) of two or more zero groups.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
