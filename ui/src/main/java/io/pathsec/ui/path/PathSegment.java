package io.pathsec.ui.path;

/**
 * One hop of the path diagram, E1 — G1 — R1 — R2 — G2 — E2 (DESIGN.md terms).
 *
 * @param from     the node on the left, e.g. "G1"
 * @param to       the node on the right
 * @param side     which side of the gateways the hop is on
 * @param mtu      what is known of its MTU, in words ("" when nothing is)
 * @param icmp     where the last ICMP error about this hop came from and what it said ("" when none)
 */
public record PathSegment(String from, String to, Side side, String mtu, String icmp) {
    /** RFC 4301 terms: inside the gateways, or outside where the tunnel's ESP travels. */
    public enum Side {
        PROTECTED("protected side"),
        UNPROTECTED("unprotected side, inside the tunnel");

        private final String words;

        Side(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    public String id() {
        return from + "-" + to;
    }
}
