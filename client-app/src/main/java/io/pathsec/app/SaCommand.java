package io.pathsec.app;

import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.control.api.SaList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code pathsec sa NAME}: the security associations of a connected tunnel, never their keys. */
@Command(name = "sa", mixinStandardHelpOptions = true,
        description = "Show the security associations of a connected tunnel (without keys).")
final class SaCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "the profile")
    String name;

    @Override
    public Integer call() {
        return DaemonCall.run(spec, options, client -> {
            SaList list = client.securityAssociations(name);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json) {
                out.println(ControlCodec.gson().toJson(list));
                return ExitCodes.OK;
            }
            out.printf("%-10s %-8s %-17s %-9s %-22s %-22s %10s %10s  %s%n", "SPI", "DIR", "TRANSFORM", "MODE",
                    "LOCAL", "REMOTE", "PACKETS", "BYTES", "DROPS");
            for (SaInfo sa : list.sas()) {
                out.printf("%-10s %-8s %-17s %-9s %-22s %-22s %10d %10s  %s%n", sa.spi(), sa.direction(), sa.transform(),
                        sa.mode(), sa.localEndpoint(), sa.remoteEndpoint(), sa.packets(), HumanUnits.bytes(sa.bytes()),
                        sa.drops().isEmpty() ? "-" : sa.drops());
            }
            return ExitCodes.OK;
        });
    }
}
