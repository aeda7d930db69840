package io.pathsec.ui.shell;

import io.pathsec.ui.connection.ConnectionViewModel;
import io.pathsec.ui.daemon.BackgroundWork;
import io.pathsec.ui.daemon.DaemonLink;
import io.pathsec.ui.daemon.EventPump;
import io.pathsec.ui.dashboard.DashboardViewModel;
import io.pathsec.ui.icmp.IcmpViewModel;
import io.pathsec.ui.log.LogViewModel;
import io.pathsec.ui.pmtu.PmtuSettingsViewModel;
import io.pathsec.ui.pmtu.PmtuViewModel;
import io.pathsec.ui.profiles.ProfilesViewModel;
import io.pathsec.ui.state.TunnelStateStore;

import java.util.concurrent.Executor;

/**
 * Every view-model of one window, wired to one daemon link and one state store, and fed by one
 * event stream. Built once per window; controllers receive what they show from here.
 */
public final class AppModel {
    private final DaemonLink daemon;
    private final BackgroundWork work;
    private final TunnelStateStore store = new TunnelStateStore();
    private final ProfilesViewModel profiles;
    private final ConnectionViewModel connection;
    private final DashboardViewModel dashboard;
    private final PmtuViewModel pmtu;
    private final PmtuSettingsViewModel pmtuSettings;
    private final IcmpViewModel icmp;
    private final LogViewModel log = new LogViewModel();
    private final EventPump events;
    private final io.pathsec.ui.log.DiagnosticsExport diagnostics;
    private final io.pathsec.ui.path.PathDiagramViewModel pathDiagram;
    private final io.pathsec.ui.icmp.IcmpEventsViewModel icmpEvents;
    private io.pathsec.ui.lab.LabPanelViewModel lab;

    /** @param uiThread where events are applied: {@code Platform::runLater} */
    public AppModel(DaemonLink daemon, BackgroundWork work, Executor uiThread) {
        this.daemon = daemon;
        this.work = work;
        profiles = new ProfilesViewModel(daemon, work, store);
        connection = new ConnectionViewModel(daemon, work, store);
        dashboard = new DashboardViewModel(daemon, work, store);
        pmtu = new PmtuViewModel(store);
        pmtuSettings = new PmtuSettingsViewModel(daemon, work, store);
        icmp = new IcmpViewModel(daemon, work, store);
        log.selectedProfileProperty().bind(store.selectedProfileProperty());
        diagnostics = new io.pathsec.ui.log.DiagnosticsExport(daemon, work, store);
        pathDiagram = new io.pathsec.ui.path.PathDiagramViewModel(store);
        icmpEvents = new io.pathsec.ui.icmp.IcmpEventsViewModel(store);
        events = new EventPump(uiThread, lost -> store.daemonLost(lost.summary()));
        // The store first: views reading it from the other sinks see the event's effect.
        events.addSink(store::apply);
        events.addSink(connection::accept);
        events.addSink(dashboard::accept);
        events.addSink(pmtu::accept);
        events.addSink(log::accept);
        events.addSink(pathDiagram::accept);
        events.addSink(icmpEvents::accept);
    }

    /** Subscribes to events, then loads the current picture (events first, so nothing falls between). */
    public void start() {
        work.run(() -> {
            daemon.subscribe(events);
            return daemon.status();
        }, status -> {
            store.reset(status);
            profiles.refresh();
        }, e -> store.daemonLost(io.pathsec.ui.daemon.UserWords.of(e).summary()));
    }

    public DaemonLink daemon() {
        return daemon;
    }

    public TunnelStateStore store() {
        return store;
    }

    public ProfilesViewModel profiles() {
        return profiles;
    }

    public ConnectionViewModel connection() {
        return connection;
    }

    public DashboardViewModel dashboard() {
        return dashboard;
    }

    public PmtuViewModel pmtu() {
        return pmtu;
    }

    public PmtuSettingsViewModel pmtuSettings() {
        return pmtuSettings;
    }

    public IcmpViewModel icmp() {
        return icmp;
    }

    public LogViewModel log() {
        return log;
    }

    public io.pathsec.ui.icmp.IcmpEventsViewModel icmpEvents() {
        return icmpEvents;
    }

    public io.pathsec.ui.path.PathDiagramViewModel pathDiagram() {
        return pathDiagram;
    }

    public io.pathsec.ui.log.DiagnosticsExport diagnostics() {
        return diagnostics;
    }

    /** In {@code pathsec lab}: the lab panel's view-model over the lab's controls. */
    public void attachLab(io.pathsec.ui.lab.LabControls controls) {
        lab = new io.pathsec.ui.lab.LabPanelViewModel(controls, work);
    }

    /** The lab panel's view-model, or null outside {@code pathsec lab}. */
    public io.pathsec.ui.lab.LabPanelViewModel lab() {
        return lab;
    }
}
