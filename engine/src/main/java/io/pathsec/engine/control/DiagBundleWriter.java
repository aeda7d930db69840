package io.pathsec.engine.control;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.diag.OuterPacketRing;
import io.pathsec.engine.diag.PcapFile;
import io.pathsec.engine.diag.WiresharkEspSaFile;
import io.pathsec.engine.policy.SecurityAssociation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a diagnostics bundle as a zip: what a developer needs to understand a tunnel without
 * access to the machine. Its {@code esp_sa} holds keys, which is why the README says so first
 * and the client writes the file 0600.
 * <pre>
 *   README.txt     what is inside, the key warning, how to decrypt in Wireshark
 *   status.json    the tunnel's state, counters and last error
 *   profile.json   the profile, secrets as "@stored"
 *   sa.json        the SAs without keys
 *   events.jsonl   the last events of this profile (state, progress, SA changes, log lines)
 *   pmtu.txt       PMTU history, once the engine reports it
 *   outer.pcap     the last outer datagrams (LINKTYPE_RAW, ESP-in-UDP on 4500)
 *   esp_sa         Wireshark's ESP SA table: the keys for outer.pcap
 * </pre>
 */
final class DiagBundleWriter {
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** Everything a bundle is made of, gathered by the caller. */
    record Contents(String name, TunnelInfo status, Profile profile, List<SaInfo> sas, List<ControlEvent> events,
                    List<OuterPacketRing.Datagram> capture, boolean captureArmed, List<SecurityAssociation> keyed) {
    }

    private DiagBundleWriter() {
    }

    static byte[] write(Contents c) throws IOException {
        List<String> espSa = WiresharkEspSaFile.lines(c.keyed());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            add(zip, "README.txt", readme(c, espSa.size()));
            add(zip, "status.json", PRETTY.toJson(c.status()));
            add(zip, "profile.json", PRETTY.toJson(c.profile()));
            add(zip, "sa.json", PRETTY.toJson(c.sas()));
            StringBuilder events = new StringBuilder();
            for (ControlEvent e : c.events()) {
                events.append(ControlCodec.event(e)).append('\n');
            }
            add(zip, "events.jsonl", events.toString());
            add(zip, "pmtu.txt", "no PMTU data yet: this engine does not report PMTU history to the daemon.\n");
            add(zip, "outer.pcap", PcapFile.write(c.capture()));
            add(zip, "esp_sa", String.join("\n", espSa) + (espSa.isEmpty() ? "" : "\n"));
        }
        return bytes.toByteArray();
    }

    private static String readme(Contents c, int keyLines) {
        return String.join("\n",
                "PathSec diagnostics bundle for profile " + c.name() + ", taken " + Instant.now(),
                "",
                keyLines > 0
                        ? "WARNING: esp_sa CONTAINS THE TUNNEL'S ESP KEYS (" + keyLines + " SAs). Anyone with this"
                        + " bundle can decrypt the captured traffic, and any other traffic of these SAs. Share it"
                        + " only with people you trust, and delete it when done."
                        : "esp_sa is empty: the tunnel was not up, so no keys are included.",
                "",
                "status.json   state, device, counters, last error",
                "profile.json  the profile (secrets shown as @stored, never included)",
                "sa.json       security associations, without keys",
                "events.jsonl  the last " + c.events().size() + " events of this profile, oldest first",
                "pmtu.txt      PMTU history (none yet)",
                "outer.pcap    the last " + c.capture().size() + " outer datagrams on UDP 4500 (ESP-in-UDP, IKE);"
                        + " IP/UDP headers are reconstructed from the socket's addresses"
                        + (c.captureArmed() ? "" : " (no capture was running)"),
                "esp_sa        Wireshark's ESP SA table for outer.pcap",
                "",
                "To decrypt in Wireshark: copy esp_sa into your Wireshark profile directory",
                "(~/.config/wireshark/esp_sa), then open outer.pcap with",
                "  Preferences > Protocols > ESP > 'Attempt to detect/decode encrypted ESP payloads' on,",
                "or with tshark:",
                "  mkdir -p /tmp/ws/wireshark && cp esp_sa /tmp/ws/wireshark/ &&",
                "  XDG_CONFIG_HOME=/tmp/ws tshark -r outer.pcap -o esp.enable_encryption_decode:TRUE",
                "");
    }

    private static void add(ZipOutputStream zip, String name, String text) throws IOException {
        add(zip, name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void add(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}
