package io.pathsec.ui.profiles;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks a static-key form can make before asking the daemon (docs/static-keys.md). They
 * catch typing mistakes early; the daemon still validates everything and has the last word.
 * Each returns a sentence for the user, or null when the value is fine.
 */
final class StaticKeyRules {
    /** Key bytes per transform: the table "Transforms and key lengths" in docs/static-keys.md. */
    static final Map<String, Integer> KEY_BYTES = Map.of(
            "aes128gcm16", 20, "aes256gcm16", 36, "chacha20poly1305", 36, "aes128-sha256", 48, "aes256-sha256", 64);
    static final List<String> TRANSFORMS = List.of("aes256gcm16", "aes128gcm16", "chacha20poly1305", "aes256-sha256",
            "aes128-sha256");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,63}");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9._-]{1,15}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern HEX = Pattern.compile("(0x)?[0-9A-Fa-f]*");

    private StaticKeyRules() {
    }

    static String name(String v) {
        if (v.isEmpty()) {
            return "Give the profile a name.";
        }
        return NAME.matcher(v).matches() ? null
                : "Use 1-63 letters, digits, dots, dashes or underscores (no spaces).";
    }

    static String device(String v) {
        if (v.isEmpty()) {
            return null; // the daemon's default, pathsec0
        }
        return DEVICE.matcher(v).matches() ? null : "A Linux interface name: at most 15 letters, digits, . _ or -.";
    }

    static String mtu(String v) {
        if (v.isEmpty()) {
            return null;
        }
        Integer n = integer(v);
        return n != null && n >= 576 && n <= 65535 ? null : "An MTU between 576 and 65535 bytes (1400 suits most paths).";
    }

    static String port(String v) {
        if (v.isEmpty()) {
            return null; // 4500, RFC 3948
        }
        Integer n = integer(v);
        return n != null && n >= 1 && n <= 65535 ? null : "A UDP port between 1 and 65535 (usually 4500).";
    }

    static String address(String v) {
        if (v.isEmpty()) {
            return "Required: an IPv4 or IPv6 address.";
        }
        return isAddress(v) ? null : "Not an IP address; write it like 198.51.100.1 or 2001:db8::1.";
    }

    /** The peer must be reached over the listen address's family (docs/static-keys.md). */
    static String sameFamily(String listen, String peer) {
        if (!isAddress(listen) || !isAddress(peer)) {
            return null; // each field reports its own problem
        }
        return listen.contains(":") == peer.contains(":") ? null
                : "Use the same address family as the local address (both IPv4 or both IPv6).";
    }

    /** A comma-separated list of {@code address/length}; may be empty. */
    static String prefixes(String v) {
        if (v.isEmpty()) {
            return null;
        }
        for (String p : v.split(",")) {
            if (!isPrefix(p.trim())) {
                return "'" + p.trim() + "' is not a network; write address/length, like 10.0.0.1/32.";
            }
        }
        return null;
    }

    /** A traffic selector: any, an address, address/length, or first-last. */
    static String selector(String v) {
        if (v.isEmpty()) {
            return "Required: any, an address, a network like 10.0.0.0/24, or a range first-last.";
        }
        if (v.equals("any") || isAddress(v) || isPrefix(v)) {
            return null;
        }
        String[] range = v.split("-");
        if (range.length == 2 && isAddress(range[0].trim()) && isAddress(range[1].trim())) {
            return null;
        }
        return "Not a selector: use any, an address, a network like 10.0.0.0/24, or a range first-last.";
    }

    /** RFC 4303 §2.1: 0 and 1-255 are reserved. */
    static String spi(String v) {
        if (v.isEmpty()) {
            return "Required: an SPI such as 0x1000.";
        }
        BigInteger n = spiValue(v);
        if (n == null) {
            return "Not a number; write the SPI in hex (0x1000) or decimal.";
        }
        if (n.compareTo(BigInteger.valueOf(256)) < 0) {
            return "SPIs below 256 are reserved (RFC 4303 §2.1); use 256 (0x100) or more.";
        }
        return n.compareTo(BigInteger.valueOf(0xffffffffL)) <= 0 ? null : "An SPI has 32 bits: at most 0xffffffff.";
    }

    /**
     * @param keepStored an empty value keeps the key the daemon already holds (an edited profile)
     */
    static String key(String v, String transform, boolean keepStored) {
        if (v.isEmpty()) {
            return keepStored ? null : "Required: the key in hex digits.";
        }
        String hex = v.replaceAll("\\s", "");
        if (!HEX.matcher(hex).matches()) {
            return "A key is hex digits (0-9, a-f).";
        }
        int digits = hex.startsWith("0x") ? hex.length() - 2 : hex.length();
        Integer bytes = KEY_BYTES.get(transform);
        if (bytes != null && digits != bytes * 2) {
            return transform + " needs a " + bytes + "-byte key (" + bytes * 2 + " hex digits); this has "
                    + digits + " digits.";
        }
        return null;
    }

    static BigInteger spiValue(String v) {
        try {
            return v.startsWith("0x") || v.startsWith("0X") ? new BigInteger(v.substring(2), 16) : new BigInteger(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Integer integer(String v) {
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static boolean isAddress(String v) {
        var m4 = IPV4.matcher(v);
        if (m4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(m4.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!IPV6.matcher(v).matches()) {
            return false; // never hand a host name to InetAddress: that would ask DNS
        }
        try {
            return java.net.InetAddress.getByName(v) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static boolean isPrefix(String v) {
        int slash = v.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String address = v.substring(0, slash);
        Integer length = integer(v.substring(slash + 1));
        if (length == null || !isAddress(address)) {
            return false;
        }
        int max = address.contains(":") ? 128 : 32;
        return length >= 0 && length <= max;
    }
}
