package io.pathsec.ui.testsupport;

import io.pathsec.engine.control.GatewayTunnel;
import io.pathsec.engine.control.IkeGatewaySpec;
import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.GatewayClientInfo;
import io.pathsec.engine.control.api.PmtuReport;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.policy.AddressRange;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A gateway profile's tunnel without a kernel, for the screenshot daemon and GUI tests: three
 * road warriors with addresses from the profile's pool, SAs, a path MTU each, and traffic that
 * grows with time like {@link InMemoryTunnels}'.
 */
final class InMemoryGateway implements GatewayTunnel {
    private static final String[][] CLIENTS = {
            {"alice@example.org", "198.51.100.17:4500", "1400", "lowered"},
            {"bob@example.org", "203.0.113.80:61522", "1500", "maximum"},
            {"CN=build-runner-7, O=Example", "192.0.2.44:4500", "1280", "lowered"}};
    private final IkeGatewaySpec spec;
    private final long started = System.nanoTime();
    private final Runnable onClose;

    InMemoryGateway(IkeGatewaySpec spec, Runnable onClose) {
        this.spec = spec;
        this.onClose = onClose;
    }

    @Override
    public String device() {
        return spec.gateway().tunName().replace("%d", "0");
    }

    @Override
    public Counters counters() {
        long sent = 0;
        long received = 0;
        for (GatewayClientInfo c : clients()) {
            sent += c.sentPackets();
            received += c.receivedPackets();
        }
        return new Counters(sent, sent * 1350, received, received * 1380, Map.of(), Map.of());
    }

    @Override
    public List<SaInfo> securityAssociations() {
        return clients().stream().flatMap(c -> c.sas().stream()).toList();
    }

    @Override
    public List<GatewayClientInfo> clients() {
        double t = (System.nanoTime() - started) / 1e9;
        byte[] pool = AddressRange.parse(spec.gateway().pool()).low().getAddress();
        String local = spec.gateway().listenAddress().getHostAddress() + ":4500";
        List<GatewayClientInfo> out = new ArrayList<>();
        for (int i = 0; i < CLIENTS.length; i++) {
            String[] c = CLIENTS[i];
            byte[] vip = pool.clone();
            vip[3] = (byte) (vip[3] + i + 1);
            long sent = InMemoryTunnels.sentPackets(t) / (i + 1);
            long received = InMemoryTunnels.receivedPackets(t) / (i + 1);
            String in = String.format("0x%08x", 0xc1a20000 + i);
            String outSpi = String.format("0x%08x", 0xd7e30000 + i);
            int plpmtu = Integer.parseInt(c[2]);
            out.add(new GatewayClientInfo(c[0], address(vip), null, c[1], "tunnel",
                    "ENCR_AES_GCM_16-256/PRF_HMAC_SHA2_256/CURVE25519", i == 0,
                    List.of(sa(in, "inbound", local, c[1], received), sa(outSpi, "outbound", local, c[1], sent)),
                    List.of(new PmtuReport.Sa(outSpi, spec.name() + " " + outSpi, plpmtu, plpmtu - 62, 1280, 1280,
                            1500, false, c[3], Map.of(), List.of(), List.of())),
                    sent, sent * 1350, received, received * 1380));
        }
        return out;
    }

    private static SaInfo sa(String spi, String direction, String local, String remote, long packets) {
        return new SaInfo(spi, direction, "aes256gcm16", "tunnel", local, remote, true, false,
                direction.equals("inbound") ? 1024 : 0, packets, packets * 1350, Map.of(), "2026-11-24T06:00:00Z");
    }

    private static String address(byte[] octets) {
        try {
            return InetAddress.getByAddress(octets).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        onClose.run();
    }
}
