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
    private final DiagnosticsExport diagnostics;

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

    @FXML
    private javafx.scene.control.Button exportButton;
    @FXML
    private Label exportMessage;

    public LogController(LogViewModel model, DiagnosticsExport diagnostics) {
        this.model = model;
        this.diagnostics = diagnostics;
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
        exportButton.disableProperty().bind(diagnostics.busyProperty());
        exportMessage.textProperty().bind(diagnostics.messageProperty());
        exportMessage.managedProperty().bind(exportMessage.textProperty().isNotEmpty());
    }

    /** The user picks the file (the dialog asks before replacing one); the view-model does the rest. */
    @FXML
    private void exportDiagnostics() {
        javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
        chooser.setTitle("Export diagnostics");
        chooser.setInitialFileName(diagnostics.suggestedFileName());
        chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("Zip archive", "*.zip"));
        java.io.File file = chooser.showSaveDialog(logTable.getScene().getWindow());
        if (file != null) {
            diagnostics.export(file.toPath());
        }
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
