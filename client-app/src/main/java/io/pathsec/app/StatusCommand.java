package io.pathsec.app;

import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.Status;
import io.pathsec.engine.control.api.TunnelInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code pathsec status}: every profile's tunnel, its device and traffic. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show every profile's tunnel: state, TUN device, uptime and traffic.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return DaemonCall.run(spec, options, client -> {
            Status status = client.status();
            PrintWriter out = spec.commandLine().getOut();
            if (options.json) {
                out.println(ControlCodec.gson().toJson(status));
                return ExitCodes.OK;
            }
            if (status.tunnels().isEmpty()) {
                out.println("no profiles; add one with: pathsec profiles add FILE");
                return ExitCodes.OK;
            }
            out.printf("%-20s %-13s %-10s %-8s %12s %12s%n", "PROFILE", "STATE", "DEVICE", "UPTIME", "SENT", "RECEIVED");
            for (TunnelInfo t : status.tunnels()) {
                boolean up = t.counters() != null;
                out.printf("%-20s %-13s %-10s %-8s %12s %12s%n", t.profile(), t.state().name().toLowerCase(),
                        t.device() == null ? "-" : t.device(), up ? HumanUnits.duration(t.uptimeMillis()) : "-",
                        up ? HumanUnits.bytes(t.counters().sentBytes()) : "-",
                        up ? HumanUnits.bytes(t.counters().receivedBytes()) : "-");
                if (t.error() != null) {
                    out.println("    last error: " + t.error());
                }
            }
            return ExitCodes.OK;
        });
    }
}
