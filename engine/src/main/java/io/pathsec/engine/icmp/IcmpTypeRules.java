package io.pathsec.engine.icmp;

import java.util.ArrayList;
import java.util.List;

/**
 * A per type/code accept/reject table for ICMP errors, first match wins, with a default. RFC 4301
 * §6.1.1 asks for one for unauthenticated ICMP arriving on the unprotected side, §6.1.2 for
 * ICMP on the protected side; this class is both (each side has its own table).
 * Written {@code 4/3=accept, 4/5=reject, 6=accept, *=reject}.
 */
public record IcmpTypeRules(List<Rule> rules, boolean acceptByDefault) {
    /** One row: which messages, and whether they are accepted. */
    public record Rule(IcmpTypeMatch match, boolean accept) {
        @Override
        public String toString() {
            return match + "=" + (accept ? "accept" : "reject");
        }
    }

    /**
     * The default table of both sides: the errors that matter to the flows a tunnel carries —
     * Destination Unreachable (with Fragmentation Needed, RFC 1191), Time Exceeded, Parameter
     * Problem; ICMPv6 Destination Unreachable, Packet Too Big (RFC 8201), Time Exceeded, Parameter
     * Problem — accepted; Redirect (a host route from a stranger) and Source Quench (deprecated,
     * RFC 6633) and everything else rejected.
     */
    public static final IcmpTypeRules DEFAULT = parse("4/3=accept, 4/11=accept, 4/12=accept, 6/1=accept, "
            + "6/2=accept, 6/3=accept, 6/4=accept, *=reject");

    public IcmpTypeRules {
        rules = List.copyOf(rules);
    }

    public boolean accepts(int ipVersion, int type, int code) {
        for (Rule r : rules) {
            if (r.match().matches(ipVersion, type, code)) {
                return r.accept();
            }
        }
        return acceptByDefault;
    }

    /**
     * Reads a comma-separated table; a final {@code *=accept} or {@code *=reject} sets the
     * default (reject when absent).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static IcmpTypeRules parse(String text) {
        List<Rule> rules = new ArrayList<>();
        boolean fallback = false;
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + part.trim() + "': expected match=accept or match=reject");
            }
            String action = part.substring(eq + 1).trim();
            boolean accept;
            if (action.equals("accept")) {
                accept = true;
            } else if (action.equals("reject")) {
                accept = false;
            } else {
                throw new IllegalArgumentException("'" + part.trim() + "': the action is accept or reject");
            }
            IcmpTypeMatch match = IcmpTypeMatch.parse(part.substring(0, eq));
            if (match.equals(IcmpTypeMatch.ALL)) {
                fallback = accept;
            } else {
                rules.add(new Rule(match, accept));
            }
        }
        return new IcmpTypeRules(rules, fallback);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Rule r : rules) {
            b.append(r).append(", ");
        }
        return b.append("*=").append(acceptByDefault ? "accept" : "reject").toString();
    }
}
