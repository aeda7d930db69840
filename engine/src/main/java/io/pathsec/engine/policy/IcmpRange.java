package io.pathsec.engine.policy;

/**
 * The ICMP message type and code selector of RFC 4301 §4.4.1.1, used when the next-layer
 * protocol is ICMP (1) or ICMPv6 (58): the type and code fields take the place of the ports.
 * Each is an inclusive range of 0-255. A packet whose type is unavailable (a non-first fragment)
 * matches only {@link #ANY}.
 */
public record IcmpRange(int typeLow, int typeHigh, int codeLow, int codeHigh) {
    public static final IcmpRange ANY = new IcmpRange(0, 255, 0, 255);

    public IcmpRange {
        if (typeLow < 0 || typeHigh > 255 || typeLow > typeHigh
                || codeLow < 0 || codeHigh > 255 || codeLow > codeHigh) {
            throw new IllegalArgumentException("ICMP type and code ranges must lie within 0-255");
        }
    }

    /** One type, any code; e.g. 3 (Destination Unreachable) or 2 (ICMPv6 Packet Too Big). */
    public static IcmpRange type(int type) {
        return new IcmpRange(type, type, 0, 255);
    }

    public static IcmpRange typeAndCode(int type, int code) {
        return new IcmpRange(type, type, code, code);
    }

    /** Parses a type and a code selector, each {@code any}, {@code n} or {@code n-m}. */
    public static IcmpRange parse(String types, String codes) {
        int[] t = types.trim().equalsIgnoreCase("any") ? new int[] {0, 255}
                : NumberRanges.parse(types.trim(), 255, "ICMP type");
        int[] c = codes.trim().equalsIgnoreCase("any") ? new int[] {0, 255}
                : NumberRanges.parse(codes.trim(), 255, "ICMP code");
        return new IcmpRange(t[0], t[1], c[0], c[1]);
    }

    /** @param type the packet's ICMP type, negative when unavailable */
    public boolean matches(int type, int code) {
        if (type < 0) {
            return isAny();
        }
        return typeLow <= type && type <= typeHigh && codeLow <= code && code <= codeHigh;
    }

    public boolean isAny() {
        return typeLow == 0 && typeHigh == 255 && codeLow == 0 && codeHigh == 255;
    }

    public String typesText() {
        return text(typeLow, typeHigh);
    }

    public String codesText() {
        return text(codeLow, codeHigh);
    }

    private static String text(int low, int high) {
        if (low == 0 && high == 255) {
            return "any";
        }
        return low == high ? Integer.toString(low) : low + "-" + high;
    }

    @Override
    public String toString() {
        return "type " + typesText() + " code " + codesText();
    }
}
