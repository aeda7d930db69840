package io.pathsec.engine.ike.session;

import com.google.gson.Gson;
import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.tunnel.IkeClientProfile;
import io.pathsec.engine.tunnel.IkeTunnel;
import io.pathsec.engine.tunnel.StaticTunnelService;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Many road-warrior clients in one process (one JVM instead of one each): client i binds source
 * address {@code FIRST + i}, has its own TUN and identity, and reports its virtual IP. Runs until
 * SIGTERM, then deletes every IKE SA.
 *
 * <pre>ManyRoadWarriors GATEWAY FIRST_SOURCE COUNT PSK STATUS.json</pre>
 */
public final class ManyRoadWarriors {
    private static final long ESTABLISH_SECONDS = 120;

    private ManyRoadWarriors() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress gateway = AddressRange.parseAddress(args[0]);
        byte[] first = AddressRange.parseAddress(args[1]).getAddress();
        int count = Integer.parseInt(args[2]);
        byte[] psk = args[3].getBytes(StandardCharsets.UTF_8);
        Path status = Path.of(args[4]);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        List<IkeTunnel> tunnels = new ArrayList<>();
        Map<String, Object> report = new LinkedHashMap<>();
        try {
            for (int i = 0; i < count; i++) {
                byte[] a = first.clone();
                a[3] = (byte) (a[3] + i);
                IkeClientProfile p = new IkeClientProfile("m" + i, "psm" + i, 1400, InetAddress.getByAddress(a), gateway,
                        new IkeIdentity("multi" + i + ".pathsec.test"), new IkeIdentity("gw.pathsec.test"), psk,
                        List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256), List.of());
                tunnels.add(IkeTunnel.startClient(p));
            }
            List<String> vips = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ESTABLISH_SECONDS);
            for (IkeTunnel t : tunnels) {
                try {
                    long left = Math.max(1, deadline - System.nanoTime());
                    vips.add(t.established().get(left, TimeUnit.NANOSECONDS).virtualAddress().getHostAddress());
                } catch (Exception e) {
                    vips.add(null);
                    failures.add(t.deviceName() + ": " + e);
                }
            }
            report.put("vips", vips);
            report.put("devices", tunnels.stream().map(IkeTunnel::deviceName).toList());
            report.put("failures", failures);
            StaticTunnelService.writeAtomically(status, new Gson().toJson(report));
            stop.await();
        } finally {
            for (IkeTunnel t : tunnels) {
                t.close();
            }
            stopped.countDown();
        }
    }
}
