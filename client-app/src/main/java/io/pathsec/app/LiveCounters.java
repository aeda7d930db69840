package io.pathsec.app;

import io.pathsec.engine.datapath.TunnelStats;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.lab.LabTunnel;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.tunnel.TunnelStatus;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** The lab's per-second terminal line: rates from the difference of two engine snapshots. */
final class LiveCounters {
    static final String HEADER = String.format("%6s  %-17s  %-24s  %-24s  %s",
            "time", "transfer", "G1 ESP out", "G2 to E2 (decrypted)", "drops");

    private final LabTunnel tunnel;
    private final long start = System.nanoTime();
    private TunnelStats lastG1;
    private TunnelStats lastG2;
    private long lastNanos = start;

    LiveCounters(LabTunnel tunnel) {
        this.tunnel = tunnel;
    }

    String line(LabTransfer transfer) {
        TunnelStats g1 = snapshot(LabNode.G1);
        TunnelStats g2 = snapshot(LabNode.G2);
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        String line = String.format("%5.0fs  %6.0f/%-6.0f MB  %-24s  %-24s  %s",
                (now - start) / 1e9, transfer.bytesSent() / 1e6, transfer.totalBytes() / 1e6,
                rate(g1 == null ? 0 : g1.sentBytes() - (lastG1 == null ? 0 : lastG1.sentBytes()),
                        g1 == null ? 0 : g1.sentPackets() - (lastG1 == null ? 0 : lastG1.sentPackets()), seconds),
                rate(g2 == null ? 0 : g2.receivedBytes() - (lastG2 == null ? 0 : lastG2.receivedBytes()),
                        g2 == null ? 0 : g2.receivedPackets() - (lastG2 == null ? 0 : lastG2.receivedPackets()), seconds),
                drops(g1, g2));
        lastG1 = g1;
        lastG2 = g2;
        lastNanos = now;
        return line;
    }

    String summary() {
        TunnelStats g1 = snapshot(LabNode.G1);
        TunnelStats g2 = snapshot(LabNode.G2);
        if (g1 == null || g2 == null) {
            return "totals: (engine status unavailable)";
        }
        return String.format("totals: G1 sent %d ESP packets (%.1f MB), G2 delivered %d packets (%.1f MB); drops %s",
                g1.sentPackets(), g1.sentBytes() / 1e6, g2.receivedPackets(), g2.receivedBytes() / 1e6, drops(g1, g2));
    }

    private TunnelStats snapshot(LabNode node) {
        try {
            TunnelStatus s = tunnel.status(node);
            return s == null ? null : s.tunnel();
        } catch (IOException | RuntimeException e) {
            return null; // the engine is rewriting its file; the next second will do
        }
    }

    private static String rate(long bytes, long packets, double seconds) {
        return String.format("%5.0f Mbit/s %6.0f pkt/s", bytes * 8 / seconds / 1e6, packets / seconds);
    }

    private static String drops(TunnelStats g1, TunnelStats g2) {
        Map<String, Long> all = new TreeMap<>();
        for (TunnelStats s : new TunnelStats[] {g1, g2}) {
            if (s == null) {
                continue;
            }
            for (Map.Entry<DropReason, Long> e : s.inboundDrops().entrySet()) {
                all.merge(e.getKey().name().toLowerCase(), e.getValue(), Long::sum);
            }
            for (Map.Entry<DropReason, Long> e : s.outboundDrops().entrySet()) {
                all.merge(e.getKey().name().toLowerCase(), e.getValue(), Long::sum);
            }
        }
        return all.isEmpty() ? "none" : all.toString();
    }
}
