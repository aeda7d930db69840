package io.pathsec.ui.profiles;

import io.pathsec.engine.control.api.ProfileSummary;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.GridPane;
import javafx.css.PseudoClass;

import java.util.Map;
import java.util.Objects;

/**
 * Binds the Profiles view to {@link ProfilesViewModel}: the list, the editor's fields and their
 * messages, and the buttons. Decides nothing itself.
 */
public final class ProfilesController {
    private static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid-input");

    private final ProfilesViewModel model;
    private final TunnelStateStore store;

    @FXML
    private ListView<ProfileSummary> profileList;
    @FXML
    private Button editButton;
    @FXML
    private Button deleteButton;
    @FXML
    private Button duplicateButton;
    @FXML
    private Button importButton;
    @FXML
    private Label formTitle;
    @FXML
    private ChoiceBox<ProfileKindChoice> kindChoice;
    @FXML
    private Label kindHint;
    @FXML
    private GridPane staticForm;
    @FXML
    private GridPane roadWarriorForm;
    @FXML
    private GridPane gatewayForm;
    @FXML
    private Label gatewayLabel;
    @FXML
    private Label remoteIdLabel;
    @FXML
    private javafx.scene.control.CheckBox allowTransportCheck;
    @FXML
    private ChoiceBox<String> modeChoice;
    @FXML
    private ChoiceBox<String> transformChoice;
    @FXML
    private RadioButton fullTunnelRadio;
    @FXML
    private RadioButton splitTunnelRadio;
    @FXML
    private Label formError;
    @FXML
    private Button saveButton;
    @FXML
    private Label notice;

    public ProfilesController(ProfilesViewModel model, TunnelStateStore store) {
        this.model = model;
        this.store = store;
    }

    @FXML
    private void initialize() {
        profileList.setItems(model.profiles());
        profileList.setCellFactory(list -> new ProfileCell());
        profileList.setPlaceholder(new Label("No profiles yet. Press New to create one."));
        // The list and the shared profile selector follow each other.
        profileList.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null) {
                store.selectedProfileProperty().set(now.name());
            }
        });
        store.selectedProfileProperty().addListener((o, was, now) -> selectInList(now));
        model.profiles().addListener((javafx.collections.ListChangeListener<ProfileSummary>) c ->
                selectInList(store.selectedProfileProperty().get()));
        profileList.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                editSelected();
            } else if (e.getCode() == KeyCode.DELETE) {
                deleteSelected();
            }
        });
        var nothingSelected = profileList.getSelectionModel().selectedItemProperty().isNull();
        editButton.disableProperty().bind(nothingSelected.or(model.busyProperty()));
        deleteButton.disableProperty().bind(nothingSelected.or(model.busyProperty()));
        duplicateButton.disableProperty().bind(nothingSelected.or(model.busyProperty()));
        importButton.disableProperty().bind(model.busyProperty());
        // Shortcuts while this view is shown: Ctrl+N a new profile, Ctrl+S save the form.
        profileList.sceneProperty().addListener((o, was, now) -> {
            var keys = java.util.Map.<javafx.scene.input.KeyCombination, Runnable>of(
                    new javafx.scene.input.KeyCodeCombination(KeyCode.N, javafx.scene.input.KeyCombination.SHORTCUT_DOWN),
                    this::newProfile,
                    new javafx.scene.input.KeyCodeCombination(KeyCode.S, javafx.scene.input.KeyCombination.SHORTCUT_DOWN),
                    this::save);
            if (was != null) {
                keys.keySet().forEach(was.getAccelerators()::remove);
            }
            if (now != null) {
                now.getAccelerators().putAll(keys);
            }
        });

        kindChoice.setItems(FXCollections.observableArrayList(ProfileKindChoice.values()));
        kindChoice.valueProperty().bindBidirectional(model.kindProperty());
        kindChoice.disableProperty().bind(model.editingProperty().isNotNull());
        var roadWarrior = model.kindProperty().isEqualTo(ProfileKindChoice.ROAD_WARRIOR);
        var ikeHostToHost = model.kindProperty().isEqualTo(ProfileKindChoice.IKE_HOST_TO_HOST);
        var ikeClient = roadWarrior.or(ikeHostToHost);
        var gateway = model.kindProperty().isEqualTo(ProfileKindChoice.GATEWAY);
        var staticKeys = ikeClient.or(gateway).not();
        staticForm.visibleProperty().bind(staticKeys);
        staticForm.managedProperty().bind(staticKeys);
        roadWarriorForm.visibleProperty().bind(ikeClient);
        roadWarriorForm.managedProperty().bind(ikeClient);
        gatewayForm.visibleProperty().bind(gateway);
        gatewayForm.managedProperty().bind(gateway);
        // IKEv2 host to host: the peer host instead of a gateway, and no traffic choice (transport
        // mode protects the traffic between the two hosts' own addresses).
        gatewayLabel.textProperty().bind(Bindings.when(ikeHostToHost).then("Peer host").otherwise("Gateway"));
        remoteIdLabel.textProperty().bind(Bindings.when(ikeHostToHost).then("Peer identity")
                .otherwise("Gateway identity"));
        for (javafx.scene.Node n : roadWarriorForm.getChildren()) {
            Integer row = GridPane.getRowIndex(n);
            if (row != null && row == 3) {
                n.visibleProperty().bind(ikeHostToHost.not());
                n.managedProperty().bind(ikeHostToHost.not());
            }
        }
        var hostToHost = model.staticKey().hostToHostProperty();
        // Host to host derives the policy from the endpoints and is always transport mode:
        // its form hides the mode, the device's addresses and routes, and the policy rows.
        java.util.Set<Integer> networkRows = java.util.Set.of(3, 11, 12);
        for (javafx.scene.Node n : staticForm.getChildren()) {
            Integer row = GridPane.getRowIndex(n);
            Integer column = GridPane.getColumnIndex(n);
            boolean modeCell = row != null && row == 0 && column != null && column >= 2;
            if (modeCell || row != null && networkRows.contains(row)) {
                n.visibleProperty().bind(hostToHost.not());
                n.managedProperty().bind(hostToHost.not());
            }
        }
        kindHint.textProperty().bind(Bindings.when(roadWarrior)
                .then("A laptop connecting to a gateway with IKEv2 and a pre-shared key; empty proposals and "
                        + "the timers keep strongSwan's defaults. Leave the key empty to keep a stored one.")
                .otherwise(Bindings.when(ikeHostToHost).then("This computer and a peer host protect the traffic "
                        + "between their own addresses in transport mode, keyed by IKEv2 with a pre-shared key "
                        + "(no virtual address, no networks). The peer must allow transport mode.")
                .otherwise(Bindings.when(gateway).then("This computer as a gateway: road warriors connect with "
                        + "IKEv2 and the pre-shared key, get an address from the pool and reach the protected "
                        + "networks. Connect the profile to start listening; the Gateway view lists the clients.")
                .otherwise(Bindings.when(hostToHost).then("Two hosts protect the traffic between their own "
                        + "addresses in transport mode (no inner networks, no virtual address). Both ends need the "
                        + "same SPIs and keys, mirrored.")
                .otherwise(Bindings.when(model.staticKey().keepsStoredKeysProperty())
                        .then("Manually keyed SAs. Leave a key empty to keep the one the PathSec service stores.")
                        .otherwise("Manually keyed SAs for the lab and bring-up: both ends need the same SPIs "
                                + "and keys, mirrored."))))));
        formTitle.textProperty().bind(Bindings.when(model.editingProperty().isNull()).then("New profile")
                .otherwise(Bindings.concat("Edit ", model.editingProperty())));

        StaticKeyForm s = model.staticKey();
        modeChoice.setItems(FXCollections.observableArrayList(StaticKeyForm.modes()));
        modeChoice.valueProperty().bindBidirectional(s.modeProperty());
        transformChoice.setItems(FXCollections.observableArrayList(StaticKeyForm.transforms()));
        transformChoice.valueProperty().bindBidirectional(s.transformProperty());
        Map.ofEntries(Map.entry("name", s.name), Map.entry("device", s.device), Map.entry("mtu", s.mtu),
                Map.entry("addresses", s.addresses), Map.entry("routes", s.routes),
                Map.entry("listenAddress", s.listenAddress), Map.entry("listenPort", s.listenPort),
                Map.entry("peerAddress", s.peerAddress), Map.entry("peerPort", s.peerPort),
                Map.entry("outSpi", s.outSpi), Map.entry("outKey", s.outKey), Map.entry("inSpi", s.inSpi),
                Map.entry("inKey", s.inKey), Map.entry("localSelector", s.localSelector),
                Map.entry("remoteSelector", s.remoteSelector)).forEach((id, f) -> bind(staticForm, id, f));
        for (String key : java.util.List.of("#outKeyField", "#inKeyField")) {
            ((TextField) staticForm.lookup(key)).promptTextProperty().bind(Bindings.when(s.keepsStoredKeysProperty())
                    .then("stored; type to replace").otherwise("hex digits"));
        }
        RoadWarriorForm r = model.roadWarrior();
        storedPrompt(roadWarriorForm, "#pskField", r.keepsStoredPskProperty());
        bind(roadWarriorForm, "rwName", r.name);
        bind(roadWarriorForm, "remoteId", r.remoteId);
        bind(roadWarriorForm, "gateway", r.gateway);
        bind(roadWarriorForm, "identity", r.identity);
        bind(roadWarriorForm, "psk", r.psk);
        bind(roadWarriorForm, "splitRoutes", r.splitRoutes);
        bind(roadWarriorForm, "rwIkeProposals", r.ikeProposals);
        bind(roadWarriorForm, "rwEspProposals", r.espProposals);
        GatewayForm g = model.gateway();
        storedPrompt(gatewayForm, "#gwPskField", g.keepsStoredPskProperty());
        bind(gatewayForm, "gwName", g.name);
        bind(gatewayForm, "listen", g.listen);
        bind(gatewayForm, "gwIdentity", g.identity);
        bind(gatewayForm, "gwPsk", g.psk);
        bind(gatewayForm, "pool", g.pool);
        bind(gatewayForm, "pool6", g.pool6);
        bind(gatewayForm, "protectedSubnets", g.protectedSubnets);
        bind(gatewayForm, "dns", g.dns);
        bind(gatewayForm, "gwIkeProposals", g.ikeProposals);
        bind(gatewayForm, "gwEspProposals", g.espProposals);
        allowTransportCheck.selectedProperty().bindBidirectional(g.allowTransportModeProperty());
        ToggleGroup traffic = new ToggleGroup();
        fullTunnelRadio.setToggleGroup(traffic);
        splitTunnelRadio.setToggleGroup(traffic);
        fullTunnelRadio.setSelected(r.fullTunnelProperty().get());
        splitTunnelRadio.setSelected(!r.fullTunnelProperty().get());
        fullTunnelRadio.selectedProperty().addListener((o, was, now) -> r.fullTunnelProperty().set(now));
        r.fullTunnelProperty().addListener((o, was, now) -> (now ? fullTunnelRadio : splitTunnelRadio).setSelected(true));
        roadWarriorForm.lookup("#splitRoutesField").disableProperty().bind(r.fullTunnelProperty());

        showWhenSet(formError, model.formErrorProperty());
        showWhenSet(notice, model.noticeProperty());
        saveButton.disableProperty().bind(model.busyProperty());
    }

    /** A PSK field says when leaving it empty keeps the stored key. */
    private static void storedPrompt(GridPane form, String id, javafx.beans.value.ObservableBooleanValue stored) {
        ((TextField) form.lookup(id)).promptTextProperty().bind(Bindings.when(stored)
                .then("stored; type to replace").otherwise("at least 16 characters"));
    }

    private void bind(GridPane form, String id, FormField field) {
        TextField input = (TextField) Objects.requireNonNull(form.lookup("#" + id + "Field"), id);
        Label error = (Label) Objects.requireNonNull(form.lookup("#" + id + "Error"), id);
        input.textProperty().bindBidirectional(field.valueProperty());
        error.textProperty().bind(field.errorProperty());
        field.errorProperty().addListener((o, was, now) -> input.pseudoClassStateChanged(INVALID, now != null));
    }

    private static void showWhenSet(Label label, javafx.beans.value.ObservableStringValue text) {
        label.textProperty().bind(text);
        var set = Bindings.isNotEmpty(text);
        label.visibleProperty().bind(set);
        label.managedProperty().bind(set);
    }

    private void selectInList(String name) {
        for (ProfileSummary p : model.profiles()) {
            if (p.name().equals(name)) {
                if (profileList.getSelectionModel().getSelectedItem() != p) {
                    profileList.getSelectionModel().select(p);
                }
                return;
            }
        }
    }

    @FXML
    private void newProfile() {
        model.newProfile();
        GridPane shown = staticForm.isVisible() ? staticForm : roadWarriorForm.isVisible() ? roadWarriorForm
                : gatewayForm;
        shown.lookup(shown == staticForm ? "#nameField" : shown == roadWarriorForm ? "#rwNameField" : "#gwNameField")
                .requestFocus();
    }

    @FXML
    private void editSelected() {
        ProfileSummary p = profileList.getSelectionModel().getSelectedItem();
        if (p != null) {
            model.edit(p.name());
        }
    }

    @FXML
    private void duplicateSelected() {
        ProfileSummary p = profileList.getSelectionModel().getSelectedItem();
        if (p != null) {
            model.duplicate(p.name());
        }
    }

    @FXML
    private void deleteSelected() {
        ProfileSummary p = profileList.getSelectionModel().getSelectedItem();
        if (p == null) {
            return;
        }
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, "Delete the profile " + p.name()
                + " and its stored keys? A connected tunnel is disconnected first.", ButtonType.CANCEL, ButtonType.OK);
        confirm.setHeaderText("Delete " + p.name() + "?");
        confirm.initOwner(profileList.getScene().getWindow());
        confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> model.delete(p.name()));
    }

    /** Asks for the file, then for the key the file cannot carry; the view-model does the import. */
    @FXML
    private void importSswan() {
        javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
        chooser.setTitle("Import a strongSwan profile");
        chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("strongSwan profile", "*.sswan"));
        java.io.File file = chooser.showOpenDialog(profileList.getScene().getWindow());
        if (file == null) {
            return;
        }
        javafx.scene.control.Dialog<String> ask = new javafx.scene.control.Dialog<>();
        ask.initOwner(profileList.getScene().getWindow());
        ask.setTitle("Pre-shared key");
        ask.setHeaderText("The pre-shared key for " + file.getName());
        javafx.scene.control.PasswordField key = new javafx.scene.control.PasswordField();
        key.setId("importPskField");
        key.setPromptText("at least 16 characters");
        Label why = new Label(".sswan files carry no key; the PathSec service stores it apart, readable by it only.");
        why.setWrapText(true);
        ask.getDialogPane().setContent(new javafx.scene.layout.VBox(8, why, key));
        ask.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, ButtonType.OK);
        ask.setResultConverter(b -> b == ButtonType.OK ? key.getText() : null);
        javafx.application.Platform.runLater(key::requestFocus);
        ask.showAndWait().ifPresent(psk -> model.importSswan(file.toPath(), psk));
    }

    @FXML
    private void save() {
        model.save();
    }

    /** A profile's name with its tunnel state from the store, kept live. */
    private final class ProfileCell extends ListCell<ProfileSummary> {
        @Override
        protected void updateItem(ProfileSummary item, boolean empty) {
            super.updateItem(item, empty);
            textProperty().unbind();
            if (empty || item == null) {
                setText(null);
                return;
            }
            textProperty().bind(Bindings.createStringBinding(() -> {
                var t = store.tunnels().get(item.name());
                String state = t == null ? item.state().name() : t.state().name();
                return item.name() + "   ·   " + state.toLowerCase();
            }, store.tunnels()));
        }
    }
}
