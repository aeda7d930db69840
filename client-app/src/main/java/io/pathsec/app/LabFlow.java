package io.pathsec.app;

import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.policy.IpsecMode;

import java.net.InetAddress;

/**
 * Which way the lab's bulk traffic goes: E1 to E2 through a tunnel-mode tunnel, G1 to G2 itself
 * in transport mode (host to host: the gateways are the end nodes).
 */
record LabFlow(LabNode from, InetAddress source, LabNode to, InetAddress target) {
    static LabFlow of(LabTopology lab, IpsecMode mode, boolean ipv6) {
        return mode == IpsecMode.TUNNEL
                ? new LabFlow(LabNode.E1, lab.protectedAddress(LabNode.E1, ipv6), LabNode.E2,
                        lab.protectedAddress(LabNode.E2, ipv6))
                : new LabFlow(LabNode.G1, lab.outerAddress(LabNode.G1, ipv6), LabNode.G2,
                        lab.outerAddress(LabNode.G2, ipv6));
    }
}
