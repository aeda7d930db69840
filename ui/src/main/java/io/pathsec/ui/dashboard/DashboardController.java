package io.pathsec.ui.dashboard;

import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.function.Function;

/**
 * Binds the Connection dashboard to {@link DashboardViewModel}: labels, the SA table, and the
 * throughput chart (seconds on x relative to the newest sample, Mbit/s on y).
 */
public final class DashboardController {
    private final DashboardViewModel model;
    private final XYChart.Series<Number, Number> sent = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> received = new XYChart.Series<>();

    @FXML
    private Label stateLabel;
    @FXML
    private Label deviceLabel;
    @FXML
    private Label ratesLabel;
    @FXML
    private Label packetsLabel;
    @FXML
    private Label dropsLabel;
    @FXML
    private LineChart<Number, Number> throughputChart;
    @FXML
    private NumberAxis timeAxis;
    @FXML
    private TableView<SaRow> saTable;

    public DashboardController(DashboardViewModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        stateLabel.textProperty().bind(model.stateProperty());
        model.stateProperty().addListener((o, was, now) -> styleState(now));
        styleState(model.stateProperty().get());
        deviceLabel.textProperty().bind(model.deviceProperty());
        ratesLabel.textProperty().bind(model.ratesProperty());
        packetsLabel.textProperty().bind(model.packetsProperty());
        dropsLabel.textProperty().bind(model.dropsProperty());

        sent.setName("sent");
        received.setName("received");
        throughputChart.getData().add(sent);
        throughputChart.getData().add(received);
        throughputChart.setCreateSymbols(false);
        throughputChart.setAnimated(false);
        timeAxis.setAutoRanging(false);
        timeAxis.setLowerBound(-DashboardViewModel.HISTORY);
        timeAxis.setUpperBound(0);
        timeAxis.setTickUnit(15);
        model.throughput().addListener((ListChangeListener<RateSample>) c -> redraw());
        redraw();

        saTable.setItems(model.sas());
        saTable.setPlaceholder(new Label("No security associations: the tunnel is not connected."));
        saTable.getColumns().setAll(java.util.List.of(column("Direction", SaRow::direction, 75),
                column("SPI", SaRow::spi, 100), column("Transform", SaRow::transform, 160),
                column("Mode", SaRow::mode, 100), column("Endpoints", SaRow::endpoints, 300),
                column("Packets", SaRow::packets, 80), column("Bytes", SaRow::bytes, 75),
                column("Drops", SaRow::drops, 140)));
        saTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }

    private static TableColumn<SaRow, String> column(String title, Function<SaRow, String> value, double width) {
        TableColumn<SaRow, String> c = new TableColumn<>(title);
        // PropertyValueFactory cannot read records' accessors in JavaFX 21.
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private void styleState(String state) {
        stateLabel.getStyleClass().removeIf(s -> s.startsWith("state-"));
        if (state != null) {
            stateLabel.getStyleClass().add("state-" + state.toLowerCase().replace("…", "").replace(' ', '-'));
        }
    }

    private void redraw() {
        var samples = model.throughput();
        long newest = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).at();
        sent.getData().setAll(samples.stream().map(point(newest, RateSample::sentBitsPerSecond)).toList());
        received.getData().setAll(samples.stream().map(point(newest, RateSample::receivedBitsPerSecond)).toList());
    }

    private static Function<RateSample, XYChart.Data<Number, Number>> point(long newest,
                                                                          java.util.function.ToDoubleFunction<RateSample> value) {
        return s -> new XYChart.Data<>((s.at() - newest) / 1000.0, value.applyAsDouble(s) / 1e6);
    }
}
