package io.pathsec.ui.pmtu;

import javafx.scene.chart.XYChart;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns samples into the chart's series: one per SA, drawn as steps (a PLPMTU holds until the
 * next change, it does not slide between values), each change marked by what made it (issue 7:
 * "each source marked"): a symbol whose colour and shape say the source, with a tooltip saying
 * source, size and time; the legend under the chart is made from the same {@link Marker}s.
 * The symbols are styled inline: the chart gives its symbol nodes its own series colours, which
 * a stylesheet class does not override.
 */
final class PmtuChartPoints {
    private PmtuChartPoints() {
    }

    /** How one source is drawn. */
    enum Marker {
        CLASSIC_ICMP("ICMP from a router", "#1f6fd1", null),
        DPLPMTUD("probe (DPLPMTUD)", "#2e9a4a", "M5,0 L10,10 L0,10 Z"),
        TCP_MSS("TCP-MSS exchange", "#8a4fc7", "M0,0 L10,0 L10,10 L0,10 Z"),
        BLACK_HOLE("black hole", "#d23b2a", "M0,2 L2,0 L5,3 L8,0 L10,2 L7,5 L10,8 L8,10 L5,7 L2,10 L0,8 L3,5 Z"),
        OTHER("start, timer", "#8c969e", null);

        final String words;
        private final String style;

        Marker(String words, String colour, String shape) {
            this.words = words;
            this.style = "-fx-background-color: " + colour + "; -fx-background-insets: 0; -fx-padding: 6px; "
                    + (shape == null ? "-fx-background-radius: 6px;" : "-fx-background-radius: 0; -fx-shape: \"" + shape + "\";");
        }

        static Marker of(PmtuSample s) {
            if (s.blackHole()) {
                return BLACK_HOLE;
            }
            for (Marker m : values()) {
                if (m.name().equals(s.source())) {
                    return m;
                }
            }
            return OTHER;
        }

        /** A new symbol node for this marker. */
        Region symbol() {
            Region node = new Region();
            node.getStyleClass().add("pmtu-point");
            node.setStyle(style);
            return node;
        }
    }

    /** The words for a source in tooltips: the legend's, or the daemon's name for the rest. */
    static String sourceName(PmtuSample s) {
        Marker m = Marker.of(s);
        return m != Marker.OTHER || s.source() == null ? m.words
                : s.source().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    static List<XYChart.Series<Number, Number>> series(List<PmtuSample> samples) {
        Map<String, XYChart.Series<Number, Number>> bySa = new LinkedHashMap<>();
        Map<String, Integer> lastMtu = new LinkedHashMap<>();
        long first = samples.isEmpty() ? 0 : samples.get(0).at();
        for (PmtuSample s : samples) {
            XYChart.Series<Number, Number> series = bySa.computeIfAbsent(s.sa(), sa -> {
                XYChart.Series<Number, Number> n = new XYChart.Series<>();
                n.setName("SA " + sa);
                return n;
            });
            double x = (s.at() - first) / 1000.0;
            Integer before = lastMtu.put(s.sa(), s.mtu());
            if (before != null && before != s.mtu()) {
                // the corner of the step: the old value up to this moment
                XYChart.Data<Number, Number> corner = new XYChart.Data<>(x, before);
                Region hidden = new Region();
                hidden.setVisible(false);
                corner.setNode(hidden);
                series.getData().add(corner);
            }
            XYChart.Data<Number, Number> point = new XYChart.Data<>(x, s.mtu());
            point.setNode(symbol(s));
            series.getData().add(point);
        }
        return List.copyOf(bySa.values());
    }

    private static Region symbol(PmtuSample s) {
        Region node = Marker.of(s).symbol();
        Tooltip.install(node, new Tooltip(sourceName(s) + ": " + s.mtu() + " bytes (" + s.effectiveMtu()
                + " inside) at " + new SimpleDateFormat("HH:mm:ss").format(new Date(s.at()))));
        return node;
    }
}
