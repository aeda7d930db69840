package io.pathsec.app;

import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.IcmpDecision;

/**
 * An {@code icmp.decision} event as one readable line for {@code pathsec events}: what the error
 * said, from where, about which flow, the option, and the outcome, e.g.
 * {@code port-unreachable (3/3) from 203.0.113.2 (end node) about udp 10.201.0.1:40000 ->
 * 203.0.113.2:5001: implicit, forwarded on SA gw 0x1234abcd}.
 */
final class IcmpDecisionText {
    private IcmpDecisionText() {
    }

    static String line(IcmpDecision d) {
        StringBuilder out = new StringBuilder();
        out.append(d.icmpName() != null ? d.icmpName() : "icmp")
                .append(" (").append(d.ipVersion() == 6 ? "v6 " : "").append(d.icmpType()).append('/')
                .append(d.icmpCode()).append(')');
        if (d.originAddress() != null) {
            out.append(" from ").append(d.originAddress());
        }
        if (d.origin() != null) {
            out.append(" (").append(wire(d.origin()).replace('-', ' ')).append(')');
        }
        out.append(" about ").append(d.quotedFlow() != null ? d.quotedFlow().describe() : "an unreadable quote");
        out.append(": ").append(d.option() != null ? wire(d.option()) : "type/code rule").append(", ");
        out.append(d.outcome() != null ? wire(d.outcome()) : "undecided");
        if (d.sa() != null) {
            out.append(" on SA ").append(d.sa());
        }
        if (d.reason() != null) {
            out.append(" because ").append(d.reason());
        }
        return out.toString();
    }

    /** An enum's name on the wire ({@code ike-relay}, {@code end-node}). */
    private static String wire(Enum<?> value) {
        return ControlCodec.gson().toJson(value).replace("\"", "");
    }
}
