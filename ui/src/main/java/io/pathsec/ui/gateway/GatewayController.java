package io.pathsec.ui.gateway;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.util.List;
import java.util.function.Function;

/**
 * Binds the Gateway view to {@link GatewayViewModel}: the summary line, the table of road
 * warriors, and the selected one's algorithms, SPIs and mode below it.
 */
public final class GatewayController {
    private final GatewayViewModel model;

    @FXML
    private Label summaryLabel;
    @FXML
    private TableView<GatewayClientRow> clientTable;
    @FXML
    private Label detailIdentity;
    @FXML
    private Label detailMode;
    @FXML
    private Label detailAlgorithms;
    @FXML
    private Label detailSpis;

    public GatewayController(GatewayViewModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        summaryLabel.textProperty().bind(model.summaryProperty());
        clientTable.setItems(model.clients());
        clientTable.setPlaceholder(new Label("No road warriors."));
        clientTable.getColumns().setAll(List.of(column("Identity", GatewayClientRow::identity, 235),
                column("Virtual IP", GatewayClientRow::virtualIp, 105),
                column("Outer address", GatewayClientRow::outerAddress, 155),
                column("Path MTU (towards it)", GatewayClientRow::pmtu, 200),
                column("Sent", GatewayClientRow::sent, 150),
                column("Received", GatewayClientRow::received, 150)));
        clientTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        clientTable.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> detail(now));
        // A refresh replaces the rows: keep the same road warrior selected.
        model.clients().addListener((javafx.collections.ListChangeListener<GatewayClientRow>) c -> reselect());
        detail(null);
    }

    private String selectedIdentity;

    private void reselect() {
        String keep = selectedIdentity;
        for (GatewayClientRow r : model.clients()) {
            if (r.identity().equals(keep)) {
                clientTable.getSelectionModel().select(r);
                return;
            }
        }
        if (!model.clients().isEmpty()) {
            clientTable.getSelectionModel().select(0);
        }
    }

    private void detail(GatewayClientRow row) {
        if (row != null) {
            selectedIdentity = row.identity();
        }
        detailIdentity.setText(row == null ? "—" : row.identity());
        detailMode.setText(row == null ? "—" : row.mode());
        detailAlgorithms.setText(row == null ? "—" : row.algorithms());
        detailSpis.setText(row == null ? "—" : row.spis());
    }

    private static TableColumn<GatewayClientRow, String> column(String title,
                                                                Function<GatewayClientRow, String> value, double width) {
        TableColumn<GatewayClientRow, String> c = new TableColumn<>(title);
        // PropertyValueFactory cannot read records' accessors in JavaFX 21.
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
