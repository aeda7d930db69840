package io.pathsec.ui.icmp;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.VBox;

import java.util.EnumMap;
import java.util.Map;

/** Builds one radio button and its explanation per {@link IcmpOption}, bound to the choice. */
public final class IcmpController {
    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter
            .ofPattern("HH:mm:ss").withZone(java.time.ZoneId.systemDefault());
    private final IcmpViewModel model;
    private final IcmpEventsViewModel events;
    private final ToggleGroup group = new ToggleGroup();
    private final Map<IcmpOption, RadioButton> buttons = new EnumMap<>(IcmpOption.class);

    @FXML
    private javafx.scene.layout.GridPane options;
    @FXML
    private Button applyButton;
    @FXML
    private Label message;

    @FXML
    private javafx.scene.control.TableView<OptionOutcome> outcomeTable;
    @FXML
    private javafx.scene.control.TableView<IcmpEventRow> eventTable;

    public IcmpController(IcmpViewModel model, IcmpEventsViewModel events) {
        this.model = model;
        this.events = events;
    }

    @FXML
    private void initialize() {
        for (IcmpOption o : IcmpOption.values()) {
            RadioButton b = new RadioButton(o.title());
            b.setId("icmp-" + o.handling().name().toLowerCase().replace('_', '-'));
            b.setToggleGroup(group);
            b.setUserData(o);
            b.getStyleClass().add("icmp-option");
            Label explanation = new Label(o.explanation());
            explanation.getStyleClass().addAll("hint", "icmp-explanation");
            explanation.setWrapText(true);
            explanation.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            VBox row = new VBox(2, b, explanation);
            row.getStyleClass().add("icmp-row");
            row.setMaxHeight(Double.MAX_VALUE);
            options.add(row, o.ordinal() % 2, o.ordinal() / 2);
            buttons.put(o, b);
        }
        group.selectedToggleProperty().addListener((o, was, now) -> model.choiceProperty().set(
                now == null ? null : (IcmpOption) now.getUserData()));
        model.choiceProperty().addListener((o, was, now) -> select(now));
        select(model.choiceProperty().get());
        applyButton.disableProperty().bind(model.changedBinding().not());
        message.textProperty().bind(model.messageProperty());
        if (model.storedProperty().get() == null) {
            model.load();
        }
        outcomeTable.setItems(javafx.collections.FXCollections.observableArrayList(OptionOutcome.TABLE));
        outcomeTable.getColumns().add(column("ICMP error", 230, OptionOutcome::error));
        for (IcmpOption o : IcmpOption.values()) {
            var c = column(o.title(), 200, (OptionOutcome r) -> r.under(o));
            c.setId("outcome-" + o.name().toLowerCase());
            outcomeTable.getColumns().add(c);
        }
        outcomeTable.setColumnResizePolicy(javafx.scene.control.TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        outcomeTable.setFocusTraversable(false);
        model.choiceProperty().addListener((o, was, now) -> markChosen(now));
        markChosen(model.choiceProperty().get());

        eventTable.setItems(events.rows());
        eventTable.setPlaceholder(new Label("No ICMP errors about this tunnel yet."));
        eventTable.getColumns().setAll(java.util.List.of(
                column("Time", 80, (IcmpEventRow r) -> TIME.format(java.time.Instant.ofEpochMilli(r.at()))),
                column("From", 230, IcmpEventRow::from),
                column("Type / code", 250, IcmpEventRow::message),
                column("Quoted flow", 170, IcmpEventRow::quotedFlow),
                column("Decision", 300, IcmpEventRow::decision)));
        eventTable.setColumnResizePolicy(javafx.scene.control.TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }

    /** The selected option's column stands out, so the table reads as "what my choice does". */
    private void markChosen(IcmpOption chosen) {
        for (var c : outcomeTable.getColumns()) {
            c.getStyleClass().remove("chosen");
            if (chosen != null && ("outcome-" + chosen.name().toLowerCase()).equals(c.getId())) {
                c.getStyleClass().add("chosen");
            }
        }
    }

    private static <R> javafx.scene.control.TableColumn<R, String> column(String title, double width,
                                                                         java.util.function.Function<R, String> value) {
        javafx.scene.control.TableColumn<R, String> c = new javafx.scene.control.TableColumn<>(title);
        c.setCellValueFactory(cell -> new javafx.beans.property.ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            private final javafx.scene.text.Text text = new javafx.scene.text.Text();
            {
                text.wrappingWidthProperty().bind(col.widthProperty().subtract(10));
                text.getStyleClass().add("cell-text");
                setGraphic(text);
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                text.setText(empty || item == null ? "" : item);
            }
        });
        return c;
    }

    private void select(IcmpOption o) {
        Toggle t = o == null ? null : buttons.get(o);
        if (group.getSelectedToggle() != t) {
            group.selectToggle(t);
        }
    }

    @FXML
    private void apply() {
        model.apply();
    }
}
