package io.pathsec.ui.shell;

import io.pathsec.ui.connection.ConnectionBarController;
import io.pathsec.ui.dashboard.DashboardController;
import io.pathsec.ui.icmp.IcmpController;
import io.pathsec.ui.log.LogController;
import io.pathsec.ui.pmtu.PmtuController;
import io.pathsec.ui.profiles.ProfilesController;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;

/**
 * Loads a view's FXML with its controller built from the {@link AppModel}: FXML names the
 * controller class, this factory hands it the view-model, so FXML stays free of logic and
 * controllers free of construction.
 */
public final class ViewLoader {
    private final AppModel model;
    private MainWindowController mainWindow;

    public ViewLoader(AppModel model) {
        this.model = model;
    }

    public Parent load(String fxml) {
        URL url = ViewLoader.class.getResource(fxml);
        if (url == null) {
            throw new IllegalStateException("missing view " + fxml);
        }
        FXMLLoader loader = new FXMLLoader(url);
        loader.setControllerFactory(this::controller);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + fxml, e);
        }
    }

    /** The main window's controller, after main_window.fxml was loaded. */
    MainWindowController mainWindow() {
        return mainWindow;
    }

    private Object controller(Class<?> type) {
        if (type == MainWindowController.class) {
            mainWindow = new MainWindowController(model, this);
            return mainWindow;
        }
        if (type == ProfilesController.class) {
            return new ProfilesController(model.profiles(), model.store());
        }
        if (type == ConnectionBarController.class) {
            return new ConnectionBarController(model.connection());
        }
        if (type == DashboardController.class) {
            return new DashboardController(model.dashboard());
        }
        if (type == PmtuController.class) {
            return new PmtuController(model.pmtu(), model.pmtuSettings());
        }
        if (type == IcmpController.class) {
            return new IcmpController(model.icmp(), model.icmpEvents());
        }
        if (type == LogController.class) {
            return new LogController(model.log(), model.diagnostics());
        }
        if (type == io.pathsec.ui.path.PathDiagramController.class) {
            return new io.pathsec.ui.path.PathDiagramController(model.pathDiagram());
        }
        if (type == io.pathsec.ui.lab.LabPanelController.class) {
            return new io.pathsec.ui.lab.LabPanelController(model.lab());
        }
        throw new IllegalArgumentException("no controller " + type.getName());
    }
}
