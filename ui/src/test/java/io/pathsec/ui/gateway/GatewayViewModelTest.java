package io.pathsec.ui.gateway;

import io.pathsec.engine.control.api.ControlError;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.GatewayClientChanged;
import io.pathsec.engine.control.api.GatewayClientInfo;
import io.pathsec.engine.control.api.PmtuReport;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.Rates;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.control.api.Status;
import io.pathsec.engine.control.api.TunnelCounters;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.ui.state.TunnelStateStore;
import io.pathsec.ui.testsupport.DirectWork;
import io.pathsec.ui.testsupport.FakeDaemonLink;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayViewModelTest {
    private final FakeDaemonLink daemon = new FakeDaemonLink();
    private final TunnelStateStore store = new TunnelStateStore();

    static GatewayClientInfo client(String identity, String vip, long sent) {
        SaInfo out = new SaInfo("0x0000b001", "outbound", "aes256gcm16", "tunnel", "198.51.100.130:4500",
                "198.51.100.1:4500", true, false, 0, sent, sent * 100, Map.of(), "2026-11-24T11:00:00Z");
        SaInfo in = new SaInfo("0x0000a001", "inbound", "aes256gcm16", "tunnel", "198.51.100.130:4500",
                "198.51.100.1:4500", true, false, 1024, 7, 700, Map.of(), "2026-11-24T11:00:00Z");
        PmtuReport.Sa pmtu = new PmtuReport.Sa("0x0000b001", "gw-1 0x0000b001", 1400, 1338, 1280, 1280, 1500, false,
                "lowered", Map.of(), List.of(), List.of());
        return new GatewayClientInfo(identity, vip, null, "198.51.100.1:4500", "tunnel",
                "ENCR_AES_GCM_16-256/PRF_HMAC_SHA2_256/CURVE25519", true, List.of(in, out), List.of(pmtu), sent,
                sent * 100, 7, 700);
    }

    private static TunnelInfo tunnel(String name, TunnelState state) {
        return new TunnelInfo(name, ProfileKind.IKEV2_GATEWAY, state, state == TunnelState.CONNECTED ? "psgw0" : null,
                0, null, null);
    }

    private long asked(String name) {
        return daemon.calls.stream().filter(("gateway.clients " + name)::equals).count();
    }

    @Test
    void theSelectedGatewaysRoadWarriorsAreListedInWords() {
        daemon.gatewayClients.put("gw", List.of(client("alice@pathsec.test", "10.201.0.1", 3)));
        store.reset(new Status(List.of(tunnel("gw", TunnelState.CONNECTED))));
        GatewayViewModel model = new GatewayViewModel(daemon, new DirectWork(), store);
        store.selectedProfileProperty().set("gw");
        assertEquals(1, model.clients().size());
        GatewayClientRow row = model.clients().get(0);
        assertEquals("alice@pathsec.test", row.identity());
        assertEquals("10.201.0.1", row.virtualIp());
        assertEquals("198.51.100.1:4500", row.outerAddress());
        assertEquals("1400 (inner 1338, lowered)", row.pmtu());
        assertEquals("3 pkts, 300 B", row.sent());
        assertEquals("7 pkts, 700 B", row.received());
        assertEquals("in 0x0000a001 / out 0x0000b001", row.spis());
        assertTrue(row.algorithms().startsWith("aes256gcm16 · IKE ENCR_AES_GCM_16-256"), row.algorithms());
        assertTrue(row.mode().startsWith("tunnel · speaks PathSec's extensions"), row.mode());
        assertEquals("1 road warrior connected to gw.", model.summaryProperty().get());
    }

    @Test
    void anArrivalRefreshesAtOnceAndCountersEveryOtherSecond() {
        daemon.gatewayClients.put("gw", List.of());
        store.reset(new Status(List.of(tunnel("gw", TunnelState.CONNECTED))));
        store.selectedProfileProperty().set("gw");
        GatewayViewModel model = new GatewayViewModel(daemon, new DirectWork(), store);
        assertEquals("gw is listening; no road warrior is connected.", model.summaryProperty().get());
        long before = asked("gw");

        daemon.gatewayClients.put("gw", List.of(client("bob@pathsec.test", "10.201.0.2", 1),
                client("alice@pathsec.test", "10.201.0.1", 1)));
        model.accept(new GatewayClientChanged("gw", 1, GatewayClientChanged.CONNECTED, "bob@pathsec.test",
                "10.201.0.2", null, "198.51.100.1:4500"));
        assertEquals(before + 1, asked("gw"));
        assertEquals(2, model.clients().size());
        assertEquals("2 road warriors connected to gw.", model.summaryProperty().get());

        for (int i = 0; i < 4; i++) {
            model.accept(new TunnelCounters("gw", i, "psgw0", new Counters(0, 0, 0, 0, Map.of(), Map.of()), Rates.ZERO));
        }
        assertEquals(before + 1 + 4 / GatewayViewModel.REFRESH_EVERY, asked("gw"));
        model.accept(new GatewayClientChanged("other", 2, GatewayClientChanged.LEFT, "x", null, null, "192.0.2.9:500"));
        assertEquals(before + 1 + 4 / GatewayViewModel.REFRESH_EVERY, asked("gw"), "another profile's event");
    }

    @Test
    void aClientProfileIsSaidToBeNoGatewayAndNotAskedAgain() {
        store.reset(new Status(List.of(tunnel("office", TunnelState.CONNECTED), tunnel("gw", TunnelState.DISCONNECTED))));
        GatewayViewModel model = new GatewayViewModel(daemon, new DirectWork(), store);
        store.selectedProfileProperty().set("office");
        assertTrue(model.summaryProperty().get().contains("office is a client profile"), model.summaryProperty().get());
        long asked = asked("office");
        for (int i = 0; i < 6; i++) {
            model.accept(new TunnelCounters("office", i, "psx0", new Counters(0, 0, 0, 0, Map.of(), Map.of()),
                    Rates.ZERO));
        }
        assertEquals(asked, asked("office"), "no request per counter event for a client profile");

        store.selectedProfileProperty().set("gw");
        assertEquals("gw is not running. A gateway profile serves road warriors once connected.",
                model.summaryProperty().get());
        assertEquals(0, asked("gw"), "a stopped gateway is not asked");
    }

    @Test
    void aFailedRequestIsToldAndEmptiesTheTable() {
        daemon.gatewayClients.put("gw", List.of(client("alice@pathsec.test", "10.201.0.1", 3)));
        store.reset(new Status(List.of(tunnel("gw", TunnelState.CONNECTED))));
        store.selectedProfileProperty().set("gw");
        GatewayViewModel model = new GatewayViewModel(daemon, new DirectWork(), store);
        assertEquals(1, model.clients().size());
        daemon.failNext = new ControlException(new ControlError(ErrorCode.NOT_FOUND, "gateway gw is not running", null));
        model.refresh();
        assertTrue(model.clients().isEmpty());
        assertTrue(model.summaryProperty().get().startsWith("Cannot list the clients of gw"), model.summaryProperty().get());
    }
}
