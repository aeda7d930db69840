package io.pathsec.engine.pmtu;

import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;

import java.io.IOException;

/** The lab's R1—R2 path as the PMTU lab tests leave it for each other. */
final class LabPath {
    private LabPath() {
    }

    /** MTU 1500, ICMP and fragments pass, and no path MTU cached anywhere (RFC 1191 caches live 10 minutes). */
    static void restore(LabTopology lab) throws IOException {
        lab.setIcmpBlackHole(false);
        lab.setDropFragments(false);
        lab.setPathMtu(LabOptions.DEFAULT_MTU);
        for (LabNode node : LabNode.values()) {
            lab.exec(node, "ip", "route", "flush", "cache");
            lab.exec(node, "ip", "-6", "route", "flush", "cache");
        }
    }
}
