package io.pathsec.ui.icmp;

import io.pathsec.engine.control.api.IcmpDecision;

/**
 * An {@code icmp.decision} in the words of the ICMP table and the path diagram. The daemon is
 * this computer's gateway, G1: its protected side is E1's, its unprotected side the path to G2.
 */
public final class IcmpWords {
    private IcmpWords() {
    }

    /** Where the error came from, with its source address. */
    public static String from(IcmpDecision d) {
        String who = d.origin() == null ? "unknown origin" : switch (d.origin()) {
            case END_NODE -> "end node on the protected side";
            case INSIDE_ROUTER -> "router on the protected side";
            case OUTER_PATH -> "outer path (R1, R2, or a forger)";
            case PEER_GATEWAY -> "peer gateway G2, through the tunnel";
        };
        return who + (d.originAddress() == null ? "" : " " + d.originAddress());
    }

    /** "ICMPv4 3/3 destination-unreachable / port-unreachable" (spaces, so a narrow column wraps there). */
    public static String message(IcmpDecision d) {
        return (d.ipVersion() == 6 ? "ICMPv6 " : "ICMPv4 ") + d.icmpType() + "/" + d.icmpCode()
                + (d.icmpName() == null ? "" : " " + d.icmpName().replace("/", " / "));
    }

    /** The most specific part of the name: "port-unreachable", "packet-too-big". */
    public static String shortName(IcmpDecision d) {
        String name = d.icmpName() == null ? d.icmpType() + "/" + d.icmpCode() : d.icmpName();
        return name.substring(name.lastIndexOf('/') + 1);
    }

    public static String quotedFlow(IcmpDecision d) {
        return d.quotedFlow() == null ? "(quote unreadable)" : d.quotedFlow().describe();
    }

    /** The outcome, with the SA or the reason, and the option that decided. */
    public static String decision(IcmpDecision d) {
        String outcome = d.outcome() == null ? "?" : d.outcome().name().toLowerCase();
        StringBuilder s = new StringBuilder(outcome);
        if (d.sa() != null) {
            s.append(" on SA ").append(d.sa());
        }
        if (d.reason() != null) {
            s.append(" (").append(d.reason()).append(')');
        }
        if (d.option() != null) {
            s.append(", option ").append(IcmpOption.of(d.option()).title());
        }
        return s.toString();
    }
}
