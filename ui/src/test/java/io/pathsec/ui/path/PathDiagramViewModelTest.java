package io.pathsec.ui.path;

import io.pathsec.engine.control.api.LogLine;
import io.pathsec.engine.control.api.PmtuBlackHole;
import io.pathsec.engine.control.api.PmtuSampled;
import io.pathsec.ui.state.TunnelStateStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathDiagramViewModelTest {
    private final TunnelStateStore store = new TunnelStateStore();
    private final PathDiagramViewModel model = new PathDiagramViewModel(store);

    private PathSegment segment(String id) {
        return model.segments().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theFiveHopsInOrderWithTheirSidesAndNothingClaimedBeforeAMeasurement() {
        store.selectedProfileProperty().set("office");
        assertEquals(List.of("E1-G1", "G1-R1", "R1-R2", "R2-G2", "G2-E2"),
                model.segments().stream().map(PathSegment::id).toList());
        assertEquals(List.of(PathSegment.Side.PROTECTED, PathSegment.Side.UNPROTECTED, PathSegment.Side.UNPROTECTED,
                PathSegment.Side.UNPROTECTED, PathSegment.Side.PROTECTED),
                model.segments().stream().map(PathSegment::side).toList());
        assertEquals("not measured yet", segment("E1-G1").mtu());
        assertEquals("", segment("R1-R2").mtu());
        assertTrue(model.segments().stream().allMatch(s -> s.icmp().isEmpty()));
        assertTrue(model.tunnelProperty().get().contains("no path-MTU sample yet"));
        assertNull(model.blackHoleProperty().get());
    }

    @Test
    void anIcmpFromThePathIsShownOnTheOuterHopsAndTheMtusFollowTheLastSample() {
        store.selectedProfileProperty().set("office");
        model.accept(new PmtuSampled("office", 1000, "0x00001000", "office-out", "CLASSIC_ICMP", 1400, 1338, 1438));
        assertEquals("inner MTU 1338", segment("E1-G1").mtu());
        assertEquals("MTU ≥ 1400", segment("G1-R1").mtu());
        assertEquals("MTU ≥ 1400", segment("R2-G2").mtu());
        assertTrue(segment("R1-R2").icmp().startsWith("Fragmentation Needed from a router on the path"),
                segment("R1-R2").icmp());
        assertTrue(segment("R1-R2").icmp().endsWith("MTU 1400"));
        assertEquals("", segment("G2-E2").mtu(), "nothing measures E2's side");
        assertTrue(model.tunnelProperty().get().contains("path MTU 1400 bytes, inner MTU 1338 (CLASSIC_ICMP"),
                model.tunnelProperty().get());

        // A later probe result moves the MTUs but the ICMP marker stays: it is the last ICMP.
        model.accept(new PmtuSampled("office", 2000, "0x00001000", "office-out", "DPLPMTUD", 1392, 1330, 1338));
        assertEquals("MTU ≥ 1392", segment("R1-R2").mtu());
        assertTrue(segment("R1-R2").icmp().endsWith("MTU 1400"));
    }

    @Test
    void icmpDecisionsAreDrawnOnTheHopTheyCameOverAndTheLatestWins() {
        store.selectedProfileProperty().set("office");
        model.accept(io.pathsec.ui.icmp.IcmpDecisions.portUnreachable("office", 1000,
                io.pathsec.engine.control.api.IcmpOrigin.PEER_GATEWAY,
                io.pathsec.engine.control.api.IcmpOutcome.DELIVERED, "office-in 0x00002000", null));
        assertTrue(segment("R2-G2").icmp().startsWith("port-unreachable from peer gateway G2"),
                segment("R2-G2").icmp());
        assertTrue(segment("R2-G2").icmp().endsWith("delivered on SA office-in 0x00002000, option Implicit"));
        model.accept(io.pathsec.ui.icmp.IcmpDecisions.portUnreachable("office", 2000,
                io.pathsec.engine.control.api.IcmpOrigin.END_NODE,
                io.pathsec.engine.control.api.IcmpOutcome.DROPPED, null, "no-sa-for-quoted-flow"));
        assertTrue(segment("E1-G1").icmp().contains("end node on the protected side"), segment("E1-G1").icmp());
        model.accept(new PmtuSampled("office", 3000, "0x00001000", "office-out", "CLASSIC_ICMP", 1400, 1338, 1438));
        model.accept(io.pathsec.ui.icmp.IcmpDecisions.portUnreachable("office", 4000,
                io.pathsec.engine.control.api.IcmpOrigin.OUTER_PATH,
                io.pathsec.engine.control.api.IcmpOutcome.DROPPED, null, "type-rejected"));
        assertTrue(segment("R1-R2").icmp().contains("outer path"), "the later error replaces the PMTU one");
    }

    @Test
    void aBlackHoleSaysWhereAndWhatItCost() {
        store.selectedProfileProperty().set("office");
        model.accept(new PmtuBlackHole("office", 3000, "0x00001000", "office-out", 1338, 1400, 1280, 1218, "…"));
        String banner = model.blackHoleProperty().get();
        assertTrue(banner.startsWith("Black hole between G1 and G2"), banner);
        assertTrue(banner.contains("packets of 1338 bytes vanished with no ICMP; now using 1280 (inner 1218)"), banner);
    }

    @Test
    void eachProfileKeepsItsOwnPathAndOtherEventsAreIgnored() {
        store.selectedProfileProperty().set("office");
        model.accept(new PmtuSampled("home", 1000, "0x00002000", "home-out", "CLASSIC_ICMP", 1300, 1238, 1438));
        model.accept(new LogLine("office", 1, "INFO", "x", "not about the path"));
        assertEquals("not measured yet", segment("E1-G1").mtu(), "home's sample is not office's");
        store.selectedProfileProperty().set("home");
        assertEquals("inner MTU 1238", segment("E1-G1").mtu());
        assertTrue(segment("R1-R2").icmp().endsWith("MTU 1300"));
        store.selectedProfileProperty().set(null);
        assertEquals("not measured yet", segment("E1-G1").mtu());
    }
}
