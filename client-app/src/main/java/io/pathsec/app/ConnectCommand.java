package io.pathsec.app;

import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.EventType;
import io.pathsec.engine.control.api.Method;
import io.pathsec.engine.control.api.ProfileName;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelProgress;
import io.pathsec.engine.control.api.TunnelStateChanged;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pathsec connect NAME}: asks the daemon to bring the tunnel up, showing its progress
 * (the daemon's state events for this profile) on stderr while it comes up.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = "Bring a profile's tunnel up; it stays up when this command exits.")
final class ConnectCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "the profile (see: pathsec profiles list)")
    String name;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "give up waiting after this long (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return DaemonCall.run(spec, options, client -> {
            long start = System.nanoTime();
            err.println("connecting " + name + " …");
            err.flush();
            client.subscribe(List.of(EventType.TUNNEL_STATE, EventType.TUNNEL_PROGRESS), name, e -> {
                String since = HumanUnits.duration((System.nanoTime() - start) / 1_000_000);
                if (e instanceof TunnelStateChanged s && s.profile().equals(name)) {
                    err.printf("  %s: %s%s (%s)%n", name, s.state().name().toLowerCase(),
                            s.error() == null ? "" : ": " + s.error(), since);
                    err.flush();
                } else if (e instanceof TunnelProgress p && p.profile().equals(name)) {
                    err.printf("  %s: %s (%s)%n", name, p.detail(), since);
                    err.flush();
                }
            });
            TunnelInfo t = client.call(Method.CONNECT, new ProfileName(name), TunnelInfo.class,
                    Duration.ofSeconds(timeoutSeconds));
            if (options.json) {
                out.println(ControlCodec.gson().toJson(t));
            } else {
                out.println(name + " connected on " + t.device());
            }
            return ExitCodes.OK;
        });
    }
}
