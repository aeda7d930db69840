package io.pathsec.ui.log;

import io.pathsec.engine.control.api.LogLine;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

/** Binds the Log view: the filters and the table, which follows new lines while at the bottom. */
public final class LogController {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final LogViewModel model;

    @FXML
    private ComboBox<LogViewModel.Level> levelChoice;
    @FXML
    private TextField filterField;
    @FXML
    private CheckBox onlySelected;
    @FXML
    private TableView<LogLine> logTable;
    @FXML
    private Label countLabel;

    public LogController(LogViewModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        levelChoice.setItems(FXCollections.observableArrayList(LogViewModel.Level.values()));
        levelChoice.valueProperty().bindBidirectional(model.minimumLevelProperty());
        filterField.textProperty().bindBidirectional(model.textProperty());
        onlySelected.selectedProperty().bindBidirectional(model.onlySelectedProfileProperty());
        logTable.setItems(model.shown());
        logTable.setPlaceholder(new Label("No log lines match."));
        logTable.getColumns().setAll(List.of(
                column("Time", 100, l -> TIME.format(Instant.ofEpochMilli(l.at()))),
                column("Level", 60, LogLine::level),
                column("Profile", 100, l -> l.profile() == null ? "" : l.profile()),
                column("Source", 150, LogLine::logger),
                column("Message", 600, LogLine::message)));
        logTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        logTable.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(LogLine item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll("log-warn", "log-error");
                if (!empty && item != null && !"INFO".equals(item.level())) {
                    getStyleClass().add("log-" + item.level().toLowerCase());
                }
            }
        });
        model.shown().addListener((ListChangeListener<LogLine>) c -> {
            countLabel.setText(model.shown().size() + " of " + model.all().size() + " lines");
            if (!model.shown().isEmpty()) {
                logTable.scrollTo(model.shown().size() - 1);
            }
        });
        countLabel.setText(model.shown().size() + " of " + model.all().size() + " lines");
    }

    private static TableColumn<LogLine, String> column(String title, double width, Function<LogLine, String> value) {
        TableColumn<LogLine, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    @FXML
    private void clear() {
        model.clear();
    }
}
