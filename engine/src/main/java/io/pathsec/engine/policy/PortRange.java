package io.pathsec.engine.policy;

/**
 * A local or remote port selector (RFC 4301 §4.4.1.1): ANY, one port, an inclusive range, or
 * OPAQUE. A packet's port is "unavailable" (given as a negative number, as
 * {@link io.pathsec.engine.packet.FlowKey} does) for a non-first fragment or a protocol without
 * ports; only ANY and OPAQUE match it, while OPAQUE matches nothing else.
 */
public record PortRange(int low, int high) {
    public static final PortRange ANY = new PortRange(0, 65535);
    /** Matches only packets whose port is unavailable, such as non-first fragments. */
    public static final PortRange OPAQUE = new PortRange(-1, -1);

    public PortRange {
        boolean opaque = low == -1 && high == -1;
        if (!opaque && (low < 0 || high > 65535 || low > high)) {
            throw new IllegalArgumentException("port range must lie within 0-65535 and start"
                    + " before it ends, got " + low + "-" + high);
        }
    }

    public static PortRange single(int port) {
        return new PortRange(port, port);
    }

    /** Parses {@code any}, {@code opaque}, {@code 443} or {@code 1024-65535}. */
    public static PortRange parse(String text) {
        String s = text.trim();
        if (s.equalsIgnoreCase("any")) {
            return ANY;
        }
        if (s.equalsIgnoreCase("opaque")) {
            return OPAQUE;
        }
        int[] bounds = NumberRanges.parse(s, 65535, "port");
        return new PortRange(bounds[0], bounds[1]);
    }

    /** @param port the packet's port, or a negative number when unavailable */
    public boolean matches(int port) {
        if (port < 0) {
            return isAny() || isOpaque();
        }
        return low <= port && port <= high;
    }

    public boolean isAny() {
        return low == 0 && high == 65535;
    }

    public boolean isOpaque() {
        return low == -1;
    }

    /** The form {@link #parse} reads back. */
    @Override
    public String toString() {
        if (isAny()) {
            return "any";
        }
        if (isOpaque()) {
            return "opaque";
        }
        return low == high ? Integer.toString(low) : low + "-" + high;
    }
}
