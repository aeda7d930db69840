package io.pathsec.engine.pmtu;

import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.lab.LabTunnel;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.tunnel.TunnelStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The black-hole recovery benchmark behind {@code bench/blackhole.sh} (issue 4): a TCP transfer
 * E1 → E2 runs through PathSec; then the R1—R2 MTU drops to 1280 with ICMP Fragmentation
 * Needed and IP fragments dropped. Measured: the seconds from the drop until the transfer's
 * rate, over a sliding window, is back at 90 % of its rate before; "stalled" at the cap.
 *
 * <p>The rate is what E2's interface towards G2 receives, sampled every 100 ms. Prints a
 * human-readable account and, last, {@code pathsec=S} or {@code pathsec=stalled}.
 */
public final class BlackHoleRecoveryBench {
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration BASELINE = Duration.ofSeconds(3);
    private static final Duration CAP = Duration.ofSeconds(60);
    private static final long SAMPLE_MILLIS = 100;
    private static final int WINDOW_SAMPLES = 5;
    private static final double RECOVERED = 0.9;

    private BlackHoleRecoveryBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("pathsec-blackhole-");
        String result;
        try (LabTopology lab = LabTopology.create(LabOptions.defaults());
             LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TUNNEL, "aes256gcm16", false, work);
             LabTransfer transfer = LabTransfer.start(lab, LabNode.E1, LabNode.E2,
                     lab.protectedAddress(LabNode.E2, false), 1L << 40, work)) {
            result = measure(lab, tunnel);
        }
        System.out.println("pathsec=" + result);
    }

    private static String measure(LabTopology lab, LabTunnel tunnel) throws Exception {
        String counter = "/sys/class/net/" + lab.interfaceName(LabNode.E2, LabNode.G2) + "/statistics/rx_bytes";
        List<long[]> samples = new ArrayList<>(); // {nanos, bytes}
        long warmUpEnd = System.nanoTime() + WARM_UP.toNanos();
        while (System.nanoTime() < warmUpEnd) {
            samples.add(sample(lab, counter));
            Thread.sleep(SAMPLE_MILLIS); // sampling period; bounded by the warm-up deadline
        }
        double before = rate(samples, BASELINE.toNanos());
        System.out.printf("rate before: %.1f MB/s%n", before / 1e6);
        if (before <= 0) {
            return "stalled";
        }

        lab.setIcmpBlackHole(true);
        lab.setDropFragments(true);
        lab.setPathMtu(1280);
        long drop = System.nanoTime();
        long dropWallMillis = System.currentTimeMillis();
        samples.clear();
        long deadline = drop + CAP.toNanos();
        while (System.nanoTime() < deadline) {
            samples.add(sample(lab, counter));
            if (samples.size() > WINDOW_SAMPLES) {
                long[] first = samples.get(samples.size() - 1 - WINDOW_SAMPLES);
                long[] last = samples.get(samples.size() - 1);
                double now = (last[1] - first[1]) * 1e9 / (last[0] - first[0]);
                if (samples.size() % WINDOW_SAMPLES == 0) {
                    System.out.printf("  +%.1f s: %.1f MB/s%n", (last[0] - drop) / 1e9, now / 1e6);
                }
                if (first[0] > drop && now >= RECOVERED * before) {
                    double seconds = (last[0] - drop) / 1e9;
                    report(tunnel, lab, dropWallMillis);
                    System.out.printf("rate after: %.1f MB/s (window %d ms), recovered %.2f s after the drop%n",
                            now / 1e6, WINDOW_SAMPLES * SAMPLE_MILLIS, seconds);
                    return String.format("%.2f", seconds);
                }
            }
            Thread.sleep(SAMPLE_MILLIS); // sampling period; bounded by the cap
        }
        report(tunnel, lab, dropWallMillis);
        return "stalled";
    }

    private static void report(LabTunnel tunnel, LabTopology lab, long dropWallMillis) throws IOException {
        TunnelStatus g1 = tunnel.status(LabNode.G1);
        for (PmtuStatus.BlackHole e : g1.outboundPmtu().blackHoles()) {
            System.out.printf("black hole detected %.2f s after the drop: %s%n",
                    (e.atMillis() - dropWallMillis) / 1e3, e);
        }
        System.out.println("G1 PMTU: " + g1.outboundPmtu());
        System.out.println("G1 outer ICMP: " + g1.outerIcmp() + ", TUN mtu " + g1.tunMtu()
                + ", black-hole ICMP drops on the routers: " + lab.blackHoleDrops());
    }

    private static long[] sample(LabTopology lab, String counter) throws IOException {
        ProcessResult r = lab.exec(LabNode.E2, "cat", counter);
        return new long[] {System.nanoTime(), Long.parseLong(r.stdout().trim())};
    }

    /** Bytes per second over the last {@code spanNanos} of samples. */
    private static double rate(List<long[]> samples, long spanNanos) {
        long[] last = samples.get(samples.size() - 1);
        long[] first = last;
        for (int i = samples.size() - 1; i >= 0 && last[0] - samples.get(i)[0] <= spanNanos; i--) {
            first = samples.get(i);
        }
        return first == last ? 0 : (last[1] - first[1]) * 1e9 / (last[0] - first[0]);
    }
}
