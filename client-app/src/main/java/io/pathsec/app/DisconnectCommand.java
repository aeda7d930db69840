package io.pathsec.app;

import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.TunnelInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code pathsec disconnect NAME}. */
@Command(name = "disconnect", mixinStandardHelpOptions = true,
        description = "Take a profile's tunnel down (its TUN device, routes and rules go with it).")
final class DisconnectCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "the profile")
    String name;

    @Override
    public Integer call() {
        return DaemonCall.run(spec, options, client -> {
            TunnelInfo t = client.disconnectTunnel(name);
            spec.commandLine().getOut().println(options.json ? ControlCodec.gson().toJson(t) : name + " disconnected");
            return ExitCodes.OK;
        });
    }
}
