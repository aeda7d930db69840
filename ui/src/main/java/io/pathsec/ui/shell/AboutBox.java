package io.pathsec.ui.shell;

import javafx.scene.control.Alert;
import javafx.stage.Window;

/**
 * "About PathSec" (F1): the version from the parent POM — the same one `pathsec --version`
 * and the package show — and the runtime it runs on.
 */
final class AboutBox {
    private AboutBox() {
    }

    /** The box's text; plain so that it can be tested without a display. */
    static String text(String version, String javaVersion, String javafxVersion) {
        return "PathSec " + version + "\n\n"
                + "A VPN client and gateway that finds the real path MTU of every tunnel,\n"
                + "notices ICMP black holes and lets you choose how ICMP errors cross it.\n\n"
                + "Java " + javaVersion + ", JavaFX " + javafxVersion + "\n"
                + "Documentation: README.md and docs/ in the source, /opt/pathsec when installed.";
    }

    static void show(Window owner, String version) {
        Alert about = new Alert(Alert.AlertType.INFORMATION);
        about.initOwner(owner);
        about.setTitle("About PathSec");
        about.setHeaderText("PathSec " + version);
        about.setContentText(text(version, System.getProperty("java.version"),
                System.getProperty("javafx.runtime.version", "?")));
        about.getDialogPane().setId("aboutBox");
        about.show();
    }
}
