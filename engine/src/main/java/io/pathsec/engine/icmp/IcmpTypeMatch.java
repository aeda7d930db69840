package io.pathsec.engine.icmp;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of ICMP messages by IP version, type and optionally code, written {@code 4/3/4}
 * (ICMPv4 Fragmentation Needed), {@code 4/11} (every ICMPv4 Time Exceeded), {@code 6/2}
 * (ICMPv6 Packet Too Big), {@code 6} (all ICMPv6) or {@code *} (all).
 *
 * @param ipVersion 4, 6, or -1 for both
 * @param type      the type, or -1 for any
 * @param code      the code, or -1 for any
 */
public record IcmpTypeMatch(int ipVersion, int type, int code) {
    public static final IcmpTypeMatch ALL = new IcmpTypeMatch(-1, -1, -1);

    public IcmpTypeMatch {
        if (ipVersion != -1 && ipVersion != 4 && ipVersion != 6) {
            throw new IllegalArgumentException("IP version must be 4 or 6, not " + ipVersion);
        }
        if (type < -1 || type > 255 || code < -1 || code > 255) {
            throw new IllegalArgumentException("ICMP type and code are 0-255");
        }
        if (type == -1 && code != -1 || ipVersion == -1 && type != -1) {
            throw new IllegalArgumentException("a code needs a type, a type needs an IP version");
        }
    }

    public boolean matches(int version, int t, int c) {
        return (ipVersion == -1 || ipVersion == version) && (type == -1 || type == t) && (code == -1 || code == c);
    }

    /** Reads {@code *}, {@code 4}, {@code 4/3} or {@code 4/3/4}. */
    public static IcmpTypeMatch parse(String text) {
        String s = text.trim();
        if (s.equals("*")) {
            return ALL;
        }
        String[] parts = s.split("/", -1);
        if (parts.length > 3) {
            throw new IllegalArgumentException("'" + text + "': expected version[/type[/code]]");
        }
        try {
            int version = Integer.parseInt(parts[0]);
            int type = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
            int code = parts.length > 2 ? Integer.parseInt(parts[2]) : -1;
            return new IcmpTypeMatch(version, type, code);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': not a number in version[/type[/code]]");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
    }

    /** Reads a comma-separated list; empty text is an empty list. */
    public static List<IcmpTypeMatch> parseList(String text) {
        List<IcmpTypeMatch> list = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                list.add(parse(part));
            }
        }
        return list;
    }

    @Override
    public String toString() {
        if (ipVersion == -1) {
            return "*";
        }
        return ipVersion + (type >= 0 ? "/" + type : "") + (code >= 0 ? "/" + code : "");
    }
}
