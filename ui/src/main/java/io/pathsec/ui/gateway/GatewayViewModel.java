package io.pathsec.ui.gateway;

import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.GatewayClientChanged;
import io.pathsec.engine.control.api.GatewayClientInfo;
import io.pathsec.engine.control.api.GatewayClientList;
import io.pathsec.engine.control.api.TunnelCounters;
import io.pathsec.ui.daemon.BackgroundWork;
import io.pathsec.ui.daemon.DaemonLink;
import io.pathsec.ui.daemon.UserWords;
import io.pathsec.ui.state.TunnelSnapshot;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gateway mode (issue 7 item 7): the road warriors connected to the selected gateway profile,
 * from {@code gateway.clients}. Asked again at once when a {@code gateway.client} event says one
 * came or left, and every {@link #REFRESH_EVERY} counter events (one a second) for the traffic
 * and PMTU columns; a profile the daemon says is no gateway is not asked again until reselected.
 */
public final class GatewayViewModel {
    /** Counter events between two refreshes: traffic every two seconds is live enough for a table. */
    static final int REFRESH_EVERY = 2;

    private final DaemonLink daemon;
    private final BackgroundWork work;
    private final TunnelStateStore store;
    private final ObservableList<GatewayClientRow> clients = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary");
    private final Set<String> notGateways = new HashSet<>();
    private int countersSeen;

    public GatewayViewModel(DaemonLink daemon, BackgroundWork work, TunnelStateStore store) {
        this.daemon = daemon;
        this.work = work;
        this.store = store;
        store.selectedProperty().addListener((o, was, now) -> {
            if (was == null || now == null || !was.profile().equals(now.profile())) {
                notGateways.clear();
            }
            if (was == null || now == null || !was.profile().equals(now.profile()) || was.state() != now.state()) {
                refresh();
            }
        });
        refresh();
    }

    public ObservableList<GatewayClientRow> clients() {
        return clients;
    }

    /** One line above the table: how many road warriors, or why there is no list. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Takes every event on the FX thread. */
    public void accept(ControlEvent event) {
        String selected = store.selectedProfileProperty().get();
        if (selected == null || !selected.equals(event.profile()) || notGateways.contains(selected)) {
            return;
        }
        if (event instanceof GatewayClientChanged) {
            refresh();
        } else if (event instanceof TunnelCounters && ++countersSeen % REFRESH_EVERY == 0) {
            refresh();
        }
    }

    /** Asks the daemon for the selected gateway's clients (when it runs). */
    public void refresh() {
        TunnelSnapshot t = store.selectedProperty().get();
        if (t == null) {
            clients.clear();
            summary.set("No profile selected. Choose a gateway profile (kind ikev2-gateway) above.");
            return;
        }
        String name = t.profile();
        if (notGateways.contains(name)) {
            return;
        }
        if (!t.connected()) {
            clients.clear();
            summary.set(name + " is not running. A gateway profile serves road warriors once connected.");
            return;
        }
        work.run(() -> daemon.gatewayClients(name), list -> {
            if (name.equals(store.selectedProfileProperty().get())) {
                show(list);
            }
        }, e -> {
            if (!name.equals(store.selectedProfileProperty().get())) {
                return;
            }
            clients.clear();
            if (e instanceof ControlException c && c.code() == ErrorCode.BAD_REQUEST) {
                notGateways.add(name);
                summary.set(name + " is a client profile. Gateway mode shows the road warriors of an"
                        + " ikev2-gateway profile.");
            } else {
                summary.set("Cannot list the clients of " + name + ": " + UserWords.of(e).summary());
            }
        });
    }

    private void show(GatewayClientList list) {
        List<GatewayClientInfo> all = list.clients();
        clients.setAll(all.stream().map(GatewayClientRow::of).toList());
        summary.set(switch (all.size()) {
            case 0 -> list.profile() + " is listening; no road warrior is connected.";
            case 1 -> "1 road warrior connected to " + list.profile() + ".";
            default -> all.size() + " road warriors connected to " + list.profile() + ".";
        });
    }
}
