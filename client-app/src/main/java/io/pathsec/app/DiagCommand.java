package io.pathsec.app;

import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.DiagBundle;
import io.pathsec.engine.control.api.DiagCapture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code pathsec diag NAME --out FILE}: a diagnostics bundle (zip) of one tunnel. It holds the
 * SAs' keys so its capture can be decrypted, so it is written 0600 and never over another file.
 */
@Command(name = "diag", mixinStandardHelpOptions = true,
        description = {"Write a diagnostics bundle of a tunnel: status, recent events, SAs (without keys),"
                + " a pcap of the last outer packets and a Wireshark ESP SA file that decrypts it.",
                "The bundle CONTAINS KEYS: it is written readable by you only; share it with care.",
                "Keep a capture running so a bundle holds the seconds before a problem: --capture on."})
final class DiagCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "the profile")
    String name;

    @Option(names = "--out", paramLabel = "FILE", description = "where to write the zip (default: a name with the"
            + " profile and time, here)")
    Path out;

    @Option(names = "--capture-seconds", paramLabel = "SECONDS", defaultValue = "5",
            description = "with no capture running, capture this long first (0-30, default ${DEFAULT-VALUE})")
    int captureSeconds;

    @Option(names = "--capture", paramLabel = "on|off", description = "only start or stop keeping the tunnel's last"
            + " outer packets (for later bundles); writes no bundle")
    String capture;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (capture != null) {
            if (!capture.equals("on") && !capture.equals("off")) {
                err.println("pathsec diag: --capture takes on or off, got " + capture);
                return ExitCodes.USAGE;
            }
            return DaemonCall.run(spec, options, client -> {
                DiagCapture r = client.diagCapture(name, capture.equals("on"));
                stdout.println(options.json ? ControlCodec.gson().toJson(r) : "capture of " + name + " "
                        + (r.enabled() ? "on: the last outer packets are kept for: pathsec diag " + name : "off"));
                return ExitCodes.OK;
            });
        }
        return DaemonCall.run(spec, options, client -> {
            if (captureSeconds > 0 && !options.json) {
                err.println("taking a bundle of " + name + " (capturing up to " + captureSeconds + " s) …");
                err.flush();
            }
            DiagBundle b = client.diag(name, captureSeconds);
            Path file = out != null ? out : Path.of(b.fileName());
            try {
                b.writeTo(file);
            } catch (FileAlreadyExistsException e) {
                err.println("pathsec diag: " + file + " exists; choose another --out or remove it");
                return ExitCodes.ALREADY_EXISTS;
            } catch (IOException e) {
                err.println("pathsec diag: cannot write " + file + ": " + e.getMessage());
                return ExitCodes.FAILURE;
            }
            if (options.json) {
                stdout.println(ControlCodec.gson().toJson(new Written(b.name(), file.toString(), b.capturedPackets(),
                        b.containsKeys())));
            } else {
                stdout.println("wrote " + file + " (" + b.capturedPackets() + " captured packets)");
                if (b.containsKeys()) {
                    err.println("note: " + file + " contains the tunnel's keys (esp_sa); it is readable by you only");
                }
            }
            return ExitCodes.OK;
        });
    }

    /** The --json answer: where the bundle went, without its bytes. */
    private record Written(String name, String file, int capturedPackets, boolean containsKeys) {
    }
}
