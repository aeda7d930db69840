package io.pathsec.engine.lab;

import java.util.Locale;

/** The six nodes of the lab, in path order, named as in DESIGN.md. */
public enum LabNode {
    /** End node on protected side A. */
    E1,
    /** Security gateway A (the PathSec client). */
    G1,
    /** Router on the path, next to G1; owns the shaped end of the R1—R2 segment. */
    R1,
    /** Router on the path, next to G2. */
    R2,
    /** Security gateway B (the PathSec gateway). */
    G2,
    /** End node on protected side B. */
    E2;

    /** Lower-case name used in namespace and interface names ({@code g1}). */
    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Routers and gateways forward packets; end nodes do not. */
    boolean forwards() {
        return this != E1 && this != E2;
    }
}
