package io.pathsec.ui.icmp;

import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.IcmpDecision;
import io.pathsec.engine.control.api.PmtuSampled;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live table of ICMP errors the selected profile's tunnel acted on, newest first, bounded.
 * Today's source is the outer path: a {@code pmtu.sample} from CLASSIC_ICMP is a Fragmentation
 * Needed (ICMPv6 Packet Too Big) that quoted one of our ESP packets and passed the daemon's
 * validation (RFC 4301 §8.2.1, §6.1.1). The decisions of the four options (RFC 4301 §6) arrive
 * as {@code icmp.decision} events: where from, type/code, quoted flow, what was done.
 */
public final class IcmpEventsViewModel {
    static final int MAX_ROWS = 500;

    private final TunnelStateStore store;
    private final Map<String, List<IcmpEventRow>> byProfile = new HashMap<>();
    private final ObservableList<IcmpEventRow> rows = FXCollections.observableArrayList();

    public IcmpEventsViewModel(TunnelStateStore store) {
        this.store = store;
        store.selectedProfileProperty().addListener((o, was, now) -> show(now));
    }

    /** The selected profile's rows, newest first. */
    public ObservableList<IcmpEventRow> rows() {
        return rows;
    }

    public void accept(ControlEvent event) {
        row(event).ifPresent(this::add);
    }

    /** The row an event makes, if it is about an ICMP error. */
    static Optional<IcmpEventRow> row(ControlEvent event) {
        if (event instanceof PmtuSampled s && "CLASSIC_ICMP".equals(s.source()) && s.profile() != null) {
            return Optional.of(new IcmpEventRow(s.profile(), s.at(), "outer path (a router between G1 and G2)",
                    "fragmentation needed / packet too big, MTU " + s.plpmtu(),
                    "ESP of SA " + s.spi(),
                    "accepted: path MTU " + s.plpmtu() + ", inner MTU " + s.previousEffectiveMtu() + " → "
                            + s.effectiveMtu()));
        }
        if (event instanceof IcmpDecision d && d.profile() != null) {
            return Optional.of(new IcmpEventRow(d.profile(), d.at(), IcmpWords.from(d), IcmpWords.message(d),
                    IcmpWords.quotedFlow(d), IcmpWords.decision(d)));
        }
        return Optional.empty();
    }

    public void add(IcmpEventRow row) {
        List<IcmpEventRow> list = byProfile.computeIfAbsent(row.profile(), p -> new ArrayList<>());
        list.add(0, row);
        if (list.size() > MAX_ROWS) {
            list.remove(list.size() - 1);
        }
        if (row.profile().equals(store.selectedProfileProperty().get())) {
            rows.add(0, row);
            if (rows.size() > MAX_ROWS) {
                rows.remove(rows.size() - 1);
            }
        }
    }

    private void show(String profile) {
        rows.setAll(profile == null ? List.of() : byProfile.getOrDefault(profile, List.of()));
    }
}
