package io.pathsec.ui.pmtu;

import javafx.scene.chart.XYChart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart draws each SA's PLPMTU as steps, with each change marked by its source. */
class PmtuChartPointsTest {

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage(); // symbol nodes and tooltips need the JavaFX toolkit (Monocle here)
    }

    private static PmtuSample sample(long at, String sa, int mtu, String source, boolean blackHole) {
        return new PmtuSample("office", at, sa, mtu, mtu - 62, source, blackHole, null);
    }

    @Test
    void aChangeIsAStepWithAHiddenCornerAndAMarkedPoint() {
        List<XYChart.Series<Number, Number>> series = PmtuChartPoints.series(List.of(
                sample(10_000, "0x1", 1500, "CONFIGURED", false),
                sample(12_000, "0x1", 1400, "CLASSIC_ICMP", false),
                sample(15_000, "0x1", 1400, "DPLPMTUD", false),
                sample(16_500, "0x1", 1280, "BLACK_HOLE", true)));
        assertEquals(1, series.size());
        List<XYChart.Data<Number, Number>> d = series.get(0).getData();
        // 1500 at 0 s; corner 1500 at 2 s, 1400 at 2 s; 1400 at 5 s (same value: no corner); corner 1400 at 6.5 s, 1280
        assertEquals(6, d.size());
        double[][] expected = {{0, 1500}, {2, 1500}, {2, 1400}, {5, 1400}, {6.5, 1400}, {6.5, 1280}};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i][0], d.get(i).getXValue().doubleValue(), 1e-9, "x of point " + i);
            assertEquals(expected[i][1], d.get(i).getYValue().doubleValue(), 1e-9, "y of point " + i);
        }
        assertFalse(d.get(1).getNode().isVisible(), "a corner is not a measurement");
        assertTrue(d.get(2).getNode().isVisible());
    }

    @Test
    void eachSourceHasItsMarkerAndEachSaItsSeries() {
        assertEquals(PmtuChartPoints.Marker.CLASSIC_ICMP, PmtuChartPoints.Marker.of(sample(0, "a", 1400, "CLASSIC_ICMP", false)));
        assertEquals(PmtuChartPoints.Marker.DPLPMTUD, PmtuChartPoints.Marker.of(sample(0, "a", 1400, "DPLPMTUD", false)));
        assertEquals(PmtuChartPoints.Marker.TCP_MSS, PmtuChartPoints.Marker.of(sample(0, "a", 1400, "TCP_MSS", false)));
        assertEquals(PmtuChartPoints.Marker.BLACK_HOLE, PmtuChartPoints.Marker.of(sample(0, "a", 1280, "DPLPMTUD", true)));
        assertEquals(PmtuChartPoints.Marker.OTHER, PmtuChartPoints.Marker.of(sample(0, "a", 1500, "CONFIGURED", false)));
        assertEquals(2, PmtuChartPoints.series(List.of(sample(0, "a", 1500, "CONFIGURED", false),
                sample(1, "b", 1500, "CONFIGURED", false))).size());
    }
}
