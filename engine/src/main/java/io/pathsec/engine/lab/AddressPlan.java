package io.pathsec.engine.lab;

import java.util.List;

/**
 * The lab's links and addresses, all from documentation ranges: 192.0.2.0/24 and 203.0.113.0/24
 * (RFC 5737) for the protected sides, 198.51.100.0/24 cut into /26s for the path, and
 * 2001:db8::/32 (RFC 3849) for IPv6.
 */
final class AddressPlan {

    /**
     * A point-to-point link between two adjacent nodes; {@code a} is the one nearer E1.
     * Prefixes are the connected networks, addresses carry no prefix length.
     */
    record Link(LabNode a, LabNode b, String v4Prefix, String aV4, String bV4,
                String v6Prefix, String aV6, String bV6) {

        boolean joins(LabNode node, LabNode towards) {
            return (a == node && b == towards) || (b == node && a == towards);
        }

        String address(LabNode node, boolean ipv6) {
            if (node == a) {
                return ipv6 ? aV6 : aV4;
            }
            if (node == b) {
                return ipv6 ? bV6 : bV4;
            }
            throw new IllegalArgumentException(node + " is not on link " + a + "—" + b);
        }

        String prefix(boolean ipv6) {
            return ipv6 ? v6Prefix : v4Prefix;
        }

        int prefixLength(boolean ipv6) {
            String prefix = prefix(ipv6);
            return Integer.parseInt(prefix.substring(prefix.indexOf('/') + 1));
        }
    }

    static final Link E1_G1 = new Link(LabNode.E1, LabNode.G1,
            "192.0.2.0/24", "192.0.2.2", "192.0.2.1", "2001:db8:a::/64", "2001:db8:a::2", "2001:db8:a::1");
    static final Link G1_R1 = new Link(LabNode.G1, LabNode.R1,
            "198.51.100.0/26", "198.51.100.1", "198.51.100.2", "2001:db8:1::/64", "2001:db8:1::1", "2001:db8:1::2");
    /** The path segment whose MTU, filters, loss and delay the lab changes. */
    static final Link R1_R2 = new Link(LabNode.R1, LabNode.R2,
            "198.51.100.64/26", "198.51.100.65", "198.51.100.66", "2001:db8:2::/64", "2001:db8:2::1", "2001:db8:2::2");
    static final Link R2_G2 = new Link(LabNode.R2, LabNode.G2,
            "198.51.100.128/26", "198.51.100.129", "198.51.100.130", "2001:db8:3::/64", "2001:db8:3::1", "2001:db8:3::2");
    static final Link G2_E2 = new Link(LabNode.G2, LabNode.E2,
            "203.0.113.0/24", "203.0.113.1", "203.0.113.2", "2001:db8:b::/64", "2001:db8:b::1", "2001:db8:b::2");

    static final List<Link> LINKS = List.of(E1_G1, G1_R1, R1_R2, R2_G2, G2_E2);

    private AddressPlan() {
    }

    static Link link(LabNode node, LabNode towards) {
        for (Link link : LINKS) {
            if (link.joins(node, towards)) {
                return link;
            }
        }
        throw new IllegalArgumentException(node + " and " + towards + " are not neighbours");
    }

    static String address(LabNode node, LabNode towards, boolean ipv6) {
        return link(node, towards).address(node, ipv6);
    }

    /** The ip(8) batch that gives {@code node} its addresses and brings its links up. */
    static String interfaceCommands(LabNode node) {
        StringBuilder batch = new StringBuilder();
        for (Link link : LINKS) {
            if (link.a() != node && link.b() != node) {
                continue;
            }
            LabNode other = link.a() == node ? link.b() : link.a();
            String dev = LabNames.interfaceName(other);
            batch.append("addr add ").append(link.address(node, false)).append('/').append(link.prefixLength(false))
                    .append(" dev ").append(dev).append('\n');
            // nodad: usable at once, no tentative phase during which IPv6 connects fail.
            batch.append("addr add ").append(link.address(node, true)).append('/').append(link.prefixLength(true))
                    .append(" dev ").append(dev).append(" nodad\n");
            batch.append("link set ").append(dev).append(" up\n");
        }
        return batch.toString();
    }

    /**
     * The ip(8) batch of static routes for {@code node}. End nodes and gateways send everything
     * towards the path; the routers know only the unprotected networks unless
     * {@code routeProtectedNetworks}, so protected traffic needs a tunnel by default.
     */
    static String routeCommands(LabNode node, boolean routeProtectedNetworks) {
        StringBuilder batch = new StringBuilder();
        switch (node) {
            case E1 -> defaults(batch, E1_G1, LabNode.G1);
            case E2 -> defaults(batch, G2_E2, LabNode.G2);
            case G1 -> defaults(batch, G1_R1, LabNode.R1);
            case G2 -> defaults(batch, R2_G2, LabNode.R2);
            case R1 -> {
                via(batch, R2_G2, R1_R2, LabNode.R2);
                if (routeProtectedNetworks) {
                    via(batch, E1_G1, G1_R1, LabNode.G1);
                    via(batch, G2_E2, R1_R2, LabNode.R2);
                }
            }
            case R2 -> {
                via(batch, G1_R1, R1_R2, LabNode.R1);
                if (routeProtectedNetworks) {
                    via(batch, E1_G1, R1_R2, LabNode.R1);
                    via(batch, G2_E2, R2_G2, LabNode.G2);
                }
            }
            default -> throw new IllegalArgumentException(node.toString());
        }
        return batch.toString();
    }

    private static void defaults(StringBuilder batch, Link link, LabNode gateway) {
        batch.append("route add 0.0.0.0/0 via ").append(link.address(gateway, false)).append('\n');
        batch.append("route add ::/0 via ").append(link.address(gateway, true)).append('\n');
    }

    private static void via(StringBuilder batch, Link destination, Link nextHopLink, LabNode nextHop) {
        for (boolean ipv6 : new boolean[] {false, true}) {
            batch.append("route add ").append(destination.prefix(ipv6))
                    .append(" via ").append(nextHopLink.address(nextHop, ipv6)).append('\n');
        }
    }
}
