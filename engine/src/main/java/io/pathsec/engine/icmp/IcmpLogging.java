package io.pathsec.engine.icmp;

import java.util.List;
import java.util.Locale;

/**
 * Which ICMP decisions are logged and sent as {@code icmp.decision} events: all, the selected
 * types only, or none (RFC 4301 §6.1.1: logging of ICMP errors is configurable). Counters count
 * every decision whatever this says.
 */
public record IcmpLogging(Mode mode, List<IcmpTypeMatch> selected) {
    public enum Mode { ALL, SELECTED, NONE }

    public static final IcmpLogging ALL = new IcmpLogging(Mode.ALL, List.of());
    public static final IcmpLogging NONE = new IcmpLogging(Mode.NONE, List.of());

    public IcmpLogging {
        selected = List.copyOf(selected);
        if (mode == Mode.SELECTED && selected.isEmpty()) {
            throw new IllegalArgumentException("selected logging needs at least one type, e.g. 4/3/4");
        }
    }

    public boolean logs(int ipVersion, int type, int code) {
        return switch (mode) {
            case ALL -> true;
            case NONE -> false;
            case SELECTED -> selected.stream().anyMatch(m -> m.matches(ipVersion, type, code));
        };
    }

    /** Reads {@code all}, {@code none}, or a list of types such as {@code 4/3/4, 6/2}. */
    public static IcmpLogging parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("all")) {
            return ALL;
        }
        if (s.equals("none")) {
            return NONE;
        }
        return new IcmpLogging(Mode.SELECTED, IcmpTypeMatch.parseList(s));
    }

    @Override
    public String toString() {
        return mode == Mode.SELECTED ? selected.toString() : mode.name().toLowerCase(Locale.ROOT);
    }
}
