package io.pathsec.ui.icmp;

import java.util.List;

/**
 * What each option does to the three ICMP errors users meet most, as measured in the lab
 * (docs/icmp.md "What E1 sees": an SA that carries only TCP 5201 and UDP 5001, so the errors
 * match no SA). One row per error; the view highlights the selected option's column.
 *
 * @param error     the ICMP error and where it comes from
 * @param discard   with {@link IcmpOption#DISCARD}
 * @param explicit  with {@link IcmpOption#EXPLICIT_SA}
 * @param implicit  with {@link IcmpOption#IMPLICIT}
 * @param relay     with {@link IcmpOption#RELAY_IKE}
 */
public record OptionOutcome(String error, String discard, String explicit, String implicit, String relay) {
    public static final List<OptionOutcome> TABLE = List.of(
            new OptionOutcome("Port Unreachable from E2 (UDP to a closed port)",
                    "dropped at G2: the sender's socket times out",
                    "carried on the ICMP SA once negotiated: the sender gets ECONNREFUSED",
                    "carried on the quoted flow's SA: the sender gets ECONNREFUSED",
                    "relayed in IKE to G1, which re-sends it: ECONNREFUSED"),
            new OptionOutcome("Fragmentation Needed from a router behind G2",
                    "dropped at G2; G1's black-hole detection lowers the SA and tells E1 itself",
                    "carried once the ICMP SA is up: E1 learns the router's MTU",
                    "carried: E1's kernel caches the router's MTU at once",
                    "relayed: E1 learns the router's MTU"),
            new OptionOutcome("Time Exceeded (traceroute through the tunnel)",
                    "hops behind G1 show as *",
                    "hops G2 and E2 are shown",
                    "hops G2 and E2 are shown",
                    "hops G2 and E2 are shown"));

    /** This row's outcome under an option. */
    public String under(IcmpOption option) {
        return switch (option) {
            case DISCARD -> discard;
            case EXPLICIT_SA -> explicit;
            case IMPLICIT -> implicit;
            case RELAY_IKE -> relay;
        };
    }
}
