package io.pathsec.engine.lab;

/**
 * The nftables text for the routers R1 and R2. One table holds one base chain per lab setting;
 * changing a setting flushes and refills only its chain in a single {@code nft -f} transaction,
 * so the named black-hole counter survives every change and the rules never pass through a
 * half-applied state.
 *
 * <p>None of these rules uses conntrack: a {@code ct} expression would load nf_defrag in the
 * namespace, which reassembles fragments before the forward hook and hides them from
 * {@link #dropFragments}.
 */
final class NftRules {

    static final String TABLE = "pathsec_lab";
    static final String BLACK_HOLE_COUNTER = "blackhole_drops";

    private static final String BLACK_HOLE_OUTPUT = "blackhole_output";
    private static final String BLACK_HOLE_FORWARD = "blackhole_forward";
    private static final String FRAGMENTS = "fragments_forward";
    private static final String MSS_CLAMP = "mss_clamp";
    private static final String LOSS = "loss_postrouting";

    /** Loss is drawn per packet from 0..9999, so it resolves to 0.01 %. */
    private static final int LOSS_SCALE = 10_000;

    private NftRules() {
    }

    /** The table with its counter and empty chains: every setting starts off. */
    static String table() {
        return "table inet " + TABLE + " {\n"
                + "  counter " + BLACK_HOLE_COUNTER + " { }\n"
                // The router's own ICMP errors leave through output, forwarded ones through forward.
                + baseChain(BLACK_HOLE_OUTPUT, "output", "filter")
                + baseChain(BLACK_HOLE_FORWARD, "forward", "filter")
                + baseChain(FRAGMENTS, "forward", "filter")
                // mangle priority: rewrite the MSS before any filter chain sees the SYN.
                + baseChain(MSS_CLAMP, "forward", "mangle")
                // postrouting sees both forwarded and locally generated packets.
                + baseChain(LOSS, "postrouting", "filter")
                + "}\n";
    }

    /**
     * A PMTUD black hole: drop ICMP Fragmentation Needed (type 3 code 4, RFC 1191) and ICMPv6
     * Packet Too Big (type 2, RFC 8201), whether this router generated or forwards them.
     */
    static String blackHole(boolean on) {
        StringBuilder script = new StringBuilder();
        for (String chain : new String[] {BLACK_HOLE_OUTPUT, BLACK_HOLE_FORWARD}) {
            script.append(flush(chain));
            if (on) {
                script.append(rule(chain, "icmp type destination-unreachable icmp code frag-needed counter name \""
                        + BLACK_HOLE_COUNTER + "\" drop"));
                script.append(rule(chain, "icmpv6 type packet-too-big counter name \""
                        + BLACK_HOLE_COUNTER + "\" drop"));
            }
        }
        return script.toString();
    }

    /**
     * Drop fragments forwarded onto the R1—R2 segment, as many firewalls do: IPv4 packets with
     * MF set or a non-zero offset, IPv6 packets with a Fragment header.
     */
    static String dropFragments(boolean on, String segmentInterface) {
        String script = flush(FRAGMENTS);
        if (on) {
            script += rule(FRAGMENTS, "oifname \"" + segmentInterface + "\" ip frag-off & 0x3fff != 0 counter drop");
            script += rule(FRAGMENTS, "oifname \"" + segmentInterface + "\" exthdr frag exists counter drop");
        }
        return script;
    }

    /**
     * Clamp the MSS option of forwarded SYN and SYN-ACK segments to {@code mss} (only lowering it),
     * the middlebox behaviour the TCP-MSS path-MTU method observes. Null turns clamping off.
     */
    static String mssClamp(Integer mss) {
        String script = flush(MSS_CLAMP);
        if (mss != null) {
            script += rule(MSS_CLAMP, "tcp flags syn / syn,rst tcp option maxseg size > " + mss
                    + " counter tcp option maxseg size set " + mss);
        }
        return script;
    }

    /**
     * Random loss of {@code percent} of the packets leaving through {@code segmentInterface}.
     * Done in nftables rather than netem because sch_netem is missing from some kernels
     * (including the lab machines); numgen is part of every nftables kernel.
     */
    static String loss(double percent, String segmentInterface) {
        String script = flush(LOSS);
        long threshold = Math.round(percent / 100.0 * LOSS_SCALE);
        String match = "oifname \"" + segmentInterface + "\"";
        if (threshold >= LOSS_SCALE) {
            // numgen values stop at 9999 and nft rejects "< 10000": total loss drops unconditionally.
            script += rule(LOSS, match + " counter drop");
        } else if (threshold > 0) {
            script += rule(LOSS, match + " numgen random mod " + LOSS_SCALE + " < " + threshold + " counter drop");
        }
        return script;
    }

    /** The table of the NAT on R1; apart from {@link #TABLE} because only it needs conntrack. */
    static final String NAT_TABLE = "pathsec_lab_nat";

    /**
     * A NAT on R1 between G1 and the path, as a home router does it: packets from G1's network
     * leaving towards R2 get R1's address and a port from a high range (masquerade with port
     * translation), so both the address and the port of G1's IKE and ESP change. Answers are
     * translated back by conntrack. Off removes the table again.
     *
     * <p>Masquerading needs conntrack, which reassembles IP fragments in R1's namespace: while the
     * NAT is on, {@link #dropFragments} on R1 no longer sees fragments.
     */
    static String nat(boolean on, String segmentInterface, String insidePrefix) {
        // "add" then "delete" removes the table whether it existed or not, in one transaction.
        String script = "add table ip " + NAT_TABLE + "\ndelete table ip " + NAT_TABLE + "\n";
        if (on) {
            script += "table ip " + NAT_TABLE + " {\n"
                    + "  chain postrouting { type nat hook postrouting priority srcnat; policy accept;\n"
                    + "    oifname \"" + segmentInterface + "\" ip saddr " + insidePrefix
                    + " meta l4proto { tcp, udp } counter masquerade to :20000-29999\n"
                    + "    oifname \"" + segmentInterface + "\" ip saddr " + insidePrefix + " counter masquerade\n"
                    + "  }\n"
                    + "}\n";
        }
        return script;
    }

    private static String baseChain(String name, String hook, String priority) {
        return "  chain " + name + " { type filter hook " + hook + " priority " + priority + "; policy accept; }\n";
    }

    private static String flush(String chain) {
        return "flush chain inet " + TABLE + " " + chain + "\n";
    }

    private static String rule(String chain, String body) {
        return "add rule inet " + TABLE + " " + chain + " " + body + "\n";
    }
}
