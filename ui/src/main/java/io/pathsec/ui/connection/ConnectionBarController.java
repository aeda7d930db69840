package io.pathsec.ui.connection;

import io.pathsec.ui.daemon.UserMessage;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.VBox;

/**
 * Connect/Disconnect for the selected profile with its progress and its last error; included in
 * the Profiles and Connection views. The error's technical detail opens with one click.
 */
public final class ConnectionBarController {
    private final ConnectionViewModel model;

    @FXML
    private Button connectButton;
    @FXML
    private Button disconnectButton;
    @FXML
    private ProgressIndicator progressIndicator;
    @FXML
    private Label progressLabel;
    @FXML
    private VBox errorBox;
    @FXML
    private Label errorSummary;
    @FXML
    private Hyperlink detailsLink;
    @FXML
    private Label errorDetail;

    public ConnectionBarController(ConnectionViewModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        connectButton.disableProperty().bind(model.canConnectBinding().not());
        disconnectButton.disableProperty().bind(model.canDisconnectBinding().not());
        progressIndicator.visibleProperty().bind(model.busyBinding());
        progressIndicator.managedProperty().bind(model.busyBinding());
        progressLabel.textProperty().bind(model.progressProperty());
        var hasError = model.errorProperty().isNotNull();
        errorBox.visibleProperty().bind(hasError);
        errorBox.managedProperty().bind(hasError);
        errorSummary.textProperty().bind(Bindings.createStringBinding(() -> {
            UserMessage m = model.errorProperty().get();
            return m == null ? "" : m.summary();
        }, model.errorProperty()));
        errorDetail.textProperty().bind(Bindings.createStringBinding(() -> {
            UserMessage m = model.errorProperty().get();
            return m == null ? "" : "Details: " + m.detail();
        }, model.errorProperty()));
        model.errorProperty().addListener((o, was, now) -> showDetail(false));
        showDetail(false);
    }

    @FXML
    private void connect() {
        model.connect();
    }

    @FXML
    private void disconnect() {
        model.disconnect();
    }

    @FXML
    private void toggleDetails() {
        showDetail(!errorDetail.isVisible());
    }

    private void showDetail(boolean show) {
        errorDetail.setVisible(show);
        errorDetail.setManaged(show);
        detailsLink.setText(show ? "Hide details" : "Show details");
    }
}
