package io.pathsec.app;

import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.policy.IpsecMode;

import java.net.InetAddress;

/**
 * Which way the lab's bulk traffic goes: E1 to E2 through a tunnel-mode tunnel, G1 to G2 itself
 * in transport mode (host to host: the gateways are the end nodes).
 */
record LabFlow(LabNode from, LabNode to, InetAddress target) {
    static LabFlow of(LabTopology lab, IpsecMode mode, boolean ipv6) {
        return mode == IpsecMode.TUNNEL
                ? new LabFlow(LabNode.E1, LabNode.E2, lab.protectedAddress(LabNode.E2, ipv6))
                : new LabFlow(LabNode.G1, LabNode.G2, lab.outerAddress(LabNode.G2, ipv6));
    }
}
