package io.pathsec.ui.path;

import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.geometry.HPos;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.List;

/**
 * Draws {@link PathDiagramViewModel}'s hops as a grid: nodes and hops alternate in columns, the
 * tunnel bar spans G1 to G2 above them, each hop's MTU and last ICMP error below it.
 */
public final class PathDiagramController {
    private static final List<String[]> NODES = List.of(
            new String[]{"E1", "end node"}, new String[]{"G1", "you"}, new String[]{"R1", "router"},
            new String[]{"R2", "router"}, new String[]{"G2", "gateway"}, new String[]{"E2", "end node"});

    private final PathDiagramViewModel model;

    @FXML
    private GridPane diagram;
    @FXML
    private Label tunnelLabel;
    @FXML
    private VBox icmpList;
    @FXML
    private Label blackHoleBanner;

    public PathDiagramController(PathDiagramViewModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        for (int c = 0; c < 11; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setHalignment(HPos.CENTER);
            if (c % 2 == 1) {
                cc.setHgrow(Priority.ALWAYS);
                cc.setMinWidth(96);
            } else {
                cc.setMinWidth(76);
            }
            diagram.getColumnConstraints().add(cc);
        }
        Label bar = new Label();
        bar.setId("tunnelBar");
        bar.getStyleClass().add("tunnel-bar");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.setText("tunnel (ESP)");
        diagram.add(bar, 2, 0, 7, 1);
        for (int i = 0; i < NODES.size(); i++) {
            Label node = new Label(NODES.get(i)[0] + "\n" + NODES.get(i)[1]);
            node.setId("node-" + NODES.get(i)[0]);
            node.getStyleClass().addAll("path-node", i == 1 ? "path-node-self" : "path-node-other");
            diagram.add(node, i * 2, 1);
        }
        tunnelLabel.textProperty().bind(model.tunnelProperty());
        blackHoleBanner.textProperty().bind(model.blackHoleProperty());
        var hole = model.blackHoleProperty().isNotNull();
        blackHoleBanner.visibleProperty().bind(hole);
        blackHoleBanner.managedProperty().bind(hole);
        model.segments().addListener((ListChangeListener<PathSegment>) c -> drawSegments());
        drawSegments();
    }

    private void drawSegments() {
        diagram.getChildren().removeIf(n -> n.getStyleClass().contains("segment-part"));
        icmpList.getChildren().clear();
        List<PathSegment> list = model.segments();
        for (int i = 0; i < list.size(); i++) {
            PathSegment s = list.get(i);
            int column = i * 2 + 1;
            // From node centre to node centre, behind the nodes: hops touch their nodes however
            // wide a column grows.
            Region line = new Region();
            line.getStyleClass().addAll("segment-part", "segment-line",
                    s.side() == PathSegment.Side.PROTECTED ? "segment-protected" : "segment-unprotected");
            line.setMaxWidth(Double.MAX_VALUE);
            diagram.add(line, column - 1, 1, 3, 1);
            line.toBack();
            Label mtu = label("segment-mtu", s.mtu().isEmpty() ? "MTU unknown" : s.mtu());
            mtu.setId("mtu-" + s.id());
            diagram.add(mtu, column, 2);
            Label side = label("segment-side", s.side() == PathSegment.Side.PROTECTED ? "protected" : "unprotected");
            diagram.add(side, column, 3);
            if (!s.icmp().isEmpty()) {
                // A badge under the hop, the words in the list below: long texts never crowd the drawing.
                diagram.add(label("segment-icmp", "⚠ ICMP"), column, 4);
                Label words = label("path-icmp-line", "⚠ " + s.from() + " — " + s.to() + ": " + s.icmp());
                words.setId("icmp-" + s.id());
                icmpList.getChildren().add(words);
            }
        }
    }

    private static Label label(String style, String text) {
        Label l = new Label(text);
        l.getStyleClass().addAll("segment-part", style);
        l.setWrapText(true);
        return l;
    }
}
