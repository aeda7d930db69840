package io.pathsec.ui.path;

import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.IcmpDecision;
import io.pathsec.engine.control.api.PmtuBlackHole;
import io.pathsec.engine.control.api.PmtuSampled;
import io.pathsec.ui.icmp.IcmpWords;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The path diagram of the selected profile: E1 — G1 — R1 — R2 — G2 — E2, which hops are
 * protected and which carry the tunnel, the MTU known for each, and where the last ICMP errors
 * came from. Everything comes from the daemon's events: {@code pmtu.sample} (the PLPMTU of the
 * G1…G2 path and the inner MTU that leaves for E1's side), {@code pmtu.blackhole} (where
 * packets vanish), and ICMP errors from the outer path (a CLASSIC_ICMP sample is a validated
 * Fragmentation Needed / Packet Too Big from a router between G1 and G2, RFC 4301 §8.2.1).
 * Nothing is invented: a hop about which nothing is known says so.
 */
public final class PathDiagramViewModel {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    /** What the events told about one profile's path. */
    private static final class Known {
        PmtuSampled lastSample;
        PmtuBlackHole lastBlackHole;
        /** The last ICMP error per hop id, in words; events arrive in order, so the last put wins. */
        final Map<String, String> icmpByHop = new HashMap<>();
    }

    private final TunnelStateStore store;
    private final Map<String, Known> byProfile = new HashMap<>();
    private final ObservableList<PathSegment> segments = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper tunnel = new ReadOnlyStringWrapper(this, "tunnel");
    private final ReadOnlyStringWrapper blackHole = new ReadOnlyStringWrapper(this, "blackHole");

    public PathDiagramViewModel(TunnelStateStore store) {
        this.store = store;
        store.selectedProfileProperty().addListener((o, was, now) -> describe());
        describe();
    }

    /** Five hops, left to right. */
    public ObservableList<PathSegment> segments() {
        return segments;
    }

    /** The tunnel between G1 and G2 in one line: its path MTU and the inner MTU. */
    public ReadOnlyStringProperty tunnelProperty() {
        return tunnel.getReadOnlyProperty();
    }

    /** Where packets vanish, after a black hole was detected; null otherwise. */
    public ReadOnlyStringProperty blackHoleProperty() {
        return blackHole.getReadOnlyProperty();
    }

    public void accept(ControlEvent event) {
        if (event.profile() == null) {
            return;
        }
        if (event instanceof PmtuSampled s) {
            Known k = byProfile.computeIfAbsent(s.profile(), p -> new Known());
            k.lastSample = s;
            if ("CLASSIC_ICMP".equals(s.source())) {
                k.icmpByHop.put("R1-R2", "Fragmentation Needed from a router on the path, "
                        + TIME.format(Instant.ofEpochMilli(s.at())) + ": MTU " + s.plpmtu());
            }
        } else if (event instanceof IcmpDecision d) {
            byProfile.computeIfAbsent(d.profile(), p -> new Known()).icmpByHop.put(hop(d),
                    IcmpWords.shortName(d) + " from " + IcmpWords.from(d) + ", " + TIME.format(Instant.ofEpochMilli(d.at()))
                            + ": " + IcmpWords.decision(d));
        } else if (event instanceof PmtuBlackHole b) {
            byProfile.computeIfAbsent(b.profile(), p -> new Known()).lastBlackHole = b;
        } else {
            return;
        }
        if (event.profile().equals(store.selectedProfileProperty().get())) {
            describe();
        }
    }

    /**
     * The hop an ICMP error came over, seen from this computer (G1): the protected side is E1's,
     * the outer path is between G1 and G2, and the peer gateway's errors come through the tunnel.
     */
    private static String hop(IcmpDecision d) {
        if (d.origin() == null) {
            return "R1-R2";
        }
        return switch (d.origin()) {
            case END_NODE, INSIDE_ROUTER -> "E1-G1";
            case OUTER_PATH -> "R1-R2";
            case PEER_GATEWAY -> "R2-G2";
        };
    }

    private void describe() {
        String profile = store.selectedProfileProperty().get();
        Known k = profile == null ? new Known() : byProfile.getOrDefault(profile, new Known());
        PmtuSampled s = k.lastSample;
        String inner = s == null ? "not measured yet" : "inner MTU " + s.effectiveMtu();
        // Only the whole G1…G2 path is measured: every hop carries at least its PLPMTU.
        String outer = s == null ? "" : "MTU ≥ " + s.plpmtu();
        segments.setAll(List.of(
                new PathSegment("E1", "G1", PathSegment.Side.PROTECTED, inner, k.icmpByHop.getOrDefault("E1-G1", "")),
                new PathSegment("G1", "R1", PathSegment.Side.UNPROTECTED, outer, ""),
                new PathSegment("R1", "R2", PathSegment.Side.UNPROTECTED, outer, k.icmpByHop.getOrDefault("R1-R2", "")),
                new PathSegment("R2", "G2", PathSegment.Side.UNPROTECTED, outer, k.icmpByHop.getOrDefault("R2-G2", "")),
                new PathSegment("G2", "E2", PathSegment.Side.PROTECTED, "", "")));
        tunnel.set(s == null ? "ESP tunnel G1 ⇄ G2: no path-MTU sample yet (connect the profile)."
                : "ESP tunnel G1 ⇄ G2, SA " + s.spi() + ": path MTU " + s.plpmtu() + " bytes, inner MTU "
                + s.effectiveMtu() + " (" + s.source() + ", " + TIME.format(Instant.ofEpochMilli(s.at())) + ")");
        PmtuBlackHole b = k.lastBlackHole;
        blackHole.set(b == null ? null : "Black hole between G1 and G2 at " + TIME.format(Instant.ofEpochMilli(b.at()))
                + ": packets of " + b.vanishedSize() + " bytes vanished with no ICMP; now using " + b.newPlpmtu()
                + " (inner " + b.effectiveMtu() + ").");
    }
}
