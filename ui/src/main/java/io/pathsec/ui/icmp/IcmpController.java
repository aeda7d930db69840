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
    private final IcmpViewModel model;
    private final ToggleGroup group = new ToggleGroup();
    private final Map<IcmpOption, RadioButton> buttons = new EnumMap<>(IcmpOption.class);

    @FXML
    private VBox options;
    @FXML
    private Button applyButton;
    @FXML
    private Label message;

    public IcmpController(IcmpViewModel model) {
        this.model = model;
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
            VBox row = new VBox(2, b, explanation);
            row.getStyleClass().add("icmp-row");
            options.getChildren().add(row);
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
