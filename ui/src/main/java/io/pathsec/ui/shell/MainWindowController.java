package io.pathsec.ui.shell;

import io.pathsec.ui.state.TunnelSnapshot;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.MapChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.StackPane;

import java.util.EnumMap;
import java.util.Map;

/**
 * The window's frame: the sidebar of views, the shared profile selector, the status line. Views
 * are loaded on first visit and kept, so their state survives switching.
 */
public final class MainWindowController {
    private final AppModel model;
    private final ViewLoader loader;
    private final Map<View, Parent> loaded = new EnumMap<>(View.class);

    @FXML
    private ListView<View> navigation;
    @FXML
    private StackPane content;
    @FXML
    private ComboBox<String> profileChoice;
    @FXML
    private Label tunnelState;
    @FXML
    private Label statusLine;
    @FXML
    private javafx.scene.control.Button reconnectButton;
    private Runnable onReconnect = () -> { };

    MainWindowController(AppModel model, ViewLoader loader) {
        this.model = model;
        this.loader = loader;
    }

    @FXML
    private void initialize() {
        navigation.setItems(FXCollections.observableArrayList(View.values()));
        navigation.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null) {
                show(now);
            }
        });
        navigation.getSelectionModel().select(View.PROFILES);

        TunnelStateStore store = model.store();
        profileChoice.setItems(FXCollections.observableArrayList(store.tunnels().keySet()));
        store.tunnels().addListener((MapChangeListener<String, TunnelSnapshot>) c -> {
            if (c.wasAdded() && !c.wasRemoved() || c.wasRemoved() && !c.wasAdded()) {
                profileChoice.getItems().setAll(store.tunnels().keySet());
                profileChoice.setValue(store.selectedProfileProperty().get());
            }
        });
        profileChoice.valueProperty().bindBidirectional(store.selectedProfileProperty());
        profileChoice.setPromptText("no profiles");
        tunnelState.textProperty().bind(Bindings.createStringBinding(() -> {
            TunnelSnapshot t = store.selectedProperty().get();
            return t == null ? "" : t.state().name().toLowerCase();
        }, store.selectedProperty()));
        store.selectedProperty().addListener((o, was, now) -> {
            tunnelState.getStyleClass().removeIf(s -> s.startsWith("state-"));
            if (now != null) {
                tunnelState.getStyleClass().add("state-" + now.state().name().toLowerCase());
            }
        });
        statusLine.textProperty().bind(Bindings.when(store.daemonProblemProperty().isNull())
                .then("Connected to the PathSec service.  Ctrl+1…" + View.values().length
                        + " switch views, F1 tells the version.")
                .otherwise(store.daemonProblemProperty()));
        store.daemonProblemProperty().addListener((o, was, now) ->
                statusLine.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("problem"), now != null));
        var lost = store.daemonProblemProperty().isNotNull();
        reconnectButton.visibleProperty().bind(lost);
        reconnectButton.managedProperty().bind(lost);
        reconnectButton.setOnAction(e -> onReconnect.run());
    }

    /** What the Reconnect button (shown only while the daemon is lost) does. */
    void setOnReconnect(Runnable action) {
        onReconnect = action;
    }

    /** Ctrl+1…9 jump to a view; called once the scene exists. */
    void installShortcuts() {
        View[] views = View.values();
        KeyCode[] digits = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4, KeyCode.DIGIT5,
                KeyCode.DIGIT6, KeyCode.DIGIT7, KeyCode.DIGIT8, KeyCode.DIGIT9};
        for (int i = 0; i < views.length && i < digits.length; i++) {
            View v = views[i];
            navigation.getScene().getAccelerators().put(
                    new KeyCodeCombination(digits[i], KeyCombination.SHORTCUT_DOWN), () -> select(v));
        }
    }

    /**
     * Puts the lab panel ({@code pathsec lab} only) under the views, above the status line, so
     * the path can be changed while the views show what the tunnel makes of it.
     */
    void dockLab(Node panel) {
        javafx.scene.layout.BorderPane frame = (javafx.scene.layout.BorderPane) content.getParent();
        Node statusBar = frame.getBottom();
        frame.setBottom(new javafx.scene.layout.VBox(panel, statusBar));
    }

    public void select(View view) {
        navigation.getSelectionModel().select(view);
    }

    public View selected() {
        return navigation.getSelectionModel().getSelectedItem();
    }

    private void show(View view) {
        Parent node = loaded.computeIfAbsent(view, v -> loader.load(v.fxml()));
        content.getChildren().setAll(node);
        Node focus = node.lookup(".initial-focus");
        if (focus != null) {
            focus.requestFocus();
        }
    }
}
