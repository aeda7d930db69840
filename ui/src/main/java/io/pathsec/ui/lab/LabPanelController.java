package io.pathsec.ui.lab;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import javafx.util.StringConverter;

/**
 * Binds the lab panel to its view-model: user actions become view-model calls, what is in force
 * comes back into the controls. Reads the transfer's progress once a second while shown.
 */
public final class LabPanelController {
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
    /** Moves the focus into the panel from any view. */
    public static final KeyCombination FOCUS_PANEL = new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN);

    private final LabPanelViewModel model;
    private final Timeline poll;

    @FXML
    private VBox labPanel;
    @FXML
    private Label labTitle;
    @FXML
    private ComboBox<Integer> mtuChoice;
    @FXML
    private Label mtuStatus;
    @FXML
    private CheckBox blackHole;
    @FXML
    private Label blackHoleStatus;
    @FXML
    private CheckBox mssClamp;
    @FXML
    private Label mssStatus;
    @FXML
    private ComboBox<Integer> lossChoice;
    @FXML
    private Label lossStatus;
    @FXML
    private Button transferButton;
    @FXML
    private Label transferStatus;

    public LabPanelController(LabPanelViewModel model) {
        this.model = model;
        this.poll = new Timeline(new KeyFrame(Duration.seconds(1), e -> pollWhileShown()));
        poll.setCycleCount(Timeline.INDEFINITE);
    }

    @FXML
    private void initialize() {
        labTitle.textProperty().bind(model.titleProperty());
        mtuChoice.getItems().setAll(LabPanelViewModel.MTU_CHOICES);
        mtuChoice.setConverter(suffix(" bytes"));
        lossChoice.getItems().setAll(LabPanelViewModel.LOSS_CHOICES);
        lossChoice.setConverter(suffix(" %"));
        model.settingsProperty().addListener((o, was, now) -> show(now));

        // ComboBoxes fire their action on programmatic changes too; the view-model ignores a
        // request for what is already in force, so showing a setting does not set it again.
        mtuChoice.setOnAction(e -> {
            if (mtuChoice.getValue() != null) {
                model.setPathMtu(mtuChoice.getValue());
            }
        });
        lossChoice.setOnAction(e -> {
            if (lossChoice.getValue() != null) {
                model.setLoss(lossChoice.getValue());
            }
        });
        blackHole.setOnAction(e -> model.setBlackHole(blackHole.isSelected()));
        mssClamp.setOnAction(e -> model.setMssClamp(mssClamp.isSelected()));
        transferButton.setOnAction(e -> model.toggleTransfer());
        model.transferProperty().addListener((o, was, now) ->
                transferButton.setText(now.running() ? "Stop _transfer" : "Start _transfer"));

        for (var control : new javafx.scene.control.Control[] {mtuChoice, blackHole, mssClamp, lossChoice,
                transferButton}) {
            control.disableProperty().bind(model.busyProperty());
        }
        bindStatus(mtuStatus, model.mtuStatus());
        bindStatus(blackHoleStatus, model.blackHoleStatus());
        bindStatus(mssStatus, model.mssStatus());
        bindStatus(lossStatus, model.lossStatus());
        bindStatus(transferStatus, model.transferStatus());

        labPanel.sceneProperty().addListener((o, was, now) -> attached(now));
        model.load();
    }

    private void attached(Scene scene) {
        if (scene == null) {
            poll.stop();
            return;
        }
        scene.getAccelerators().put(FOCUS_PANEL, mtuChoice::requestFocus);
        poll.play();
    }

    /** A closed window has let go of its background threads: polling must end with it. */
    private void pollWhileShown() {
        Scene scene = labPanel.getScene();
        if (scene == null || scene.getWindow() == null || !scene.getWindow().isShowing()) {
            poll.stop();
            return;
        }
        model.tick();
    }

    private void show(LabSettings s) {
        if (s == null) {
            return;
        }
        mtuChoice.setValue(s.pathMtu());
        blackHole.setSelected(s.blackHole());
        mssClamp.setSelected(s.mssClamp() != null);
        lossChoice.setValue((int) Math.round(s.lossPercent()));
    }

    private static void bindStatus(Label label, ControlStatus status) {
        label.textProperty().bind(status.textProperty());
        label.pseudoClassStateChanged(FAILED, status.failedProperty().get());
        status.failedProperty().addListener((o, was, now) -> label.pseudoClassStateChanged(FAILED, now));
    }

    private static StringConverter<Integer> suffix(String unit) {
        return new StringConverter<>() {
            @Override
            public String toString(Integer v) {
                return v == null ? "" : v + unit;
            }

            @Override
            public Integer fromString(String s) {
                return s == null || s.isBlank() ? null : Integer.valueOf(s.replace(unit, "").strip());
            }
        };
    }
}
