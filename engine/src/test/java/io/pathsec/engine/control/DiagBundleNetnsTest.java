package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.DiagBundle;
import io.pathsec.engine.control.api.DiagCapture;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.testsupport.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A daemon in its own namespace holds a static-key tunnel with its diagnostics capture on; pings
 * go out as ESP; the bundle's outer.pcap, opened by tshark with the bundle's own esp_sa, shows
 * the inner ICMP packets decrypted.
 */
@RequiresRoot
@Timeout(180)
class DiagBundleNetnsTest {
    private static final String TUN = "psdiag0";

    private DaemonInNamespace host;

    @BeforeEach
    void namespace() throws Exception {
        host = new DaemonInNamespace("psdiag", "192.0.2.1/24");
        // A static neighbour: the ESP datagrams leave without waiting for ARP nobody answers.
        DaemonInNamespace.run("ip", "-n", host.ns, "neigh", "add", "192.0.2.2", "lladdr", "02:00:00:00:00:02",
                "dev", "d0");
    }

    @AfterEach
    void cleanUp() throws Exception {
        host.close();
    }

    @Test
    void theBundlesCaptureDecryptsWithItsOwnEspSaFile() throws Exception {
        host.startDaemon();
        DiagBundle bundle;
        try (ControlClient c = ControlClient.connect(host.socket)) {
            c.putProfile(Profile.of("lab", ProfileKind.STATIC_KEY, TestProfiles.staticKey("lab", TUN,
                    "192.0.2.1", "192.0.2.2", "10.77.0.1/32", "10.78.0.0/24")), false);
            DiagCapture on = c.diagCapture("lab", true);
            assertTrue(on.enabled());
            c.connectTunnel("lab");
            host.execQuietly("ping", "-c", "5", "-i", "0.2", "-W", "1", "-q", "-I", "10.77.0.1",
                    "10.78.0.2"); // nobody answers: the outbound ESP is what is captured
            ControlDaemonTest.assertEventually(() -> sent(c) >= 5, "five pings went out as ESP");
            bundle = c.diag("lab", 0);
        }
        assertTrue(bundle.containsKeys());
        assertTrue(bundle.capturedPackets() >= 5, "captured " + bundle.capturedPackets());
        Map<String, byte[]> files = unzip(Base64.getDecoder().decode(bundle.zipBase64()));
        assertTrue(files.keySet().containsAll(List.of("README.txt", "status.json", "profile.json", "sa.json",
                "events.jsonl", "pmtu.txt", "outer.pcap", "esp_sa")), files.keySet().toString());
        String readme = text(files, "README.txt");
        assertTrue(readme.contains("WARNING: esp_sa CONTAINS THE TUNNEL'S ESP KEYS"), readme);
        assertTrue(text(files, "events.jsonl").contains("\"state\":\"connected\""), text(files, "events.jsonl"));
        assertTrue(text(files, "profile.json").contains("@stored"));
        assertTrue(!text(files, "profile.json").contains(TestProfiles.OUT_KEY)
                && !text(files, "sa.json").contains(TestProfiles.OUT_KEY), "keys only in esp_sa");

        Path ws = host.dir.resolve("xdg");
        Files.createDirectories(ws.resolve("wireshark"));
        Files.write(ws.resolve("wireshark/esp_sa"), files.get("esp_sa"));
        Path pcap = host.dir.resolve("outer.pcap");
        Files.write(pcap, files.get("outer.pcap"));
        ProcessBuilder pb = new ProcessBuilder("tshark", "-r", pcap.toString(), "-o",
                "esp.enable_encryption_decode:TRUE", "-Y", "icmp.type == 8 && ip.dst == 10.78.0.2",
                "-T", "fields", "-e", "esp.spi", "-e", "ip.src", "-e", "ip.dst");
        pb.environment().put("XDG_CONFIG_HOME", ws.toString());
        pb.redirectErrorStream(true);
        Process tshark = pb.start();
        tshark.getOutputStream().close();
        String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tshark.waitFor(60, TimeUnit.SECONDS), "tshark finished");
        long decrypted = out.lines().filter(l -> l.contains("10.77.0.1") && l.contains("10.78.0.2")).count();
        assertTrue(decrypted >= 5, "tshark decrypted the inner echo requests: " + out);
    }

    private static long sent(ControlClient c) {
        try {
            return c.status().tunnels().get(0).counters().sentPackets();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                files.put(e.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    private static String text(Map<String, byte[]> files, String name) {
        return new String(files.get(name), StandardCharsets.UTF_8);
    }
}
