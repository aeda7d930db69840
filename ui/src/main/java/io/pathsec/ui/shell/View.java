package io.pathsec.ui.shell;

/** The main views in sidebar order; {@link #id()} also names their screenshot. */
public enum View {
    PROFILES("profiles", "Profiles", "/io/pathsec/ui/profiles/profiles.fxml"),
    DASHBOARD("dashboard", "Connection", "/io/pathsec/ui/dashboard/dashboard.fxml"),
    PMTU("pmtu", "Path MTU", "/io/pathsec/ui/pmtu/pmtu.fxml"),
    ICMP("icmp", "ICMP", "/io/pathsec/ui/icmp/icmp.fxml"),
    LOG("log", "Log", "/io/pathsec/ui/log/log.fxml"),
    PATH("path", "Path", "/io/pathsec/ui/path/path.fxml"),
    GATEWAY("gateway", "Gateway", "/io/pathsec/ui/gateway/gateway.fxml");

    private final String id;
    private final String title;
    private final String fxml;

    View(String id, String title, String fxml) {
        this.id = id;
        this.title = title;
        this.fxml = fxml;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    String fxml() {
        return fxml;
    }

    @Override
    public String toString() {
        return title;
    }
}
