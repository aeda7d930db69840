package io.pathsec.app;

import io.pathsec.engine.config.ConfigException;
import io.pathsec.engine.tunnel.StaticTunnelService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code pathsec static CONFIG}: run a tunnel with manually keyed SAs in the foreground. */
@Command(name = "static",
        description = {"Run a tunnel keyed by a static-key file (manual SAs, like `ip xfrm state`) in the foreground.",
                "Needs root (or CAP_NET_ADMIN) for the TUN device and routes. Stop it with Ctrl-C.",
                "The file format: docs/static-keys.md; make a matching pair with `pathsec static-keys pair`."},
        mixinStandardHelpOptions = true)
final class StaticTunnelCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "the static-key JSON file of this host")
    Path config;

    @Option(names = "--stats-file", paramLabel = "FILE",
            description = "rewrite FILE every second with the tunnel's counters (JSON)")
    Path statsFile;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "stop after this many seconds (default: run until stopped)")
    long durationSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (!Privileges.canAdministerNetwork()) {
            System.err.println("pathsec static: needs root (or CAP_NET_ADMIN) to create the TUN device; try: sudo ./pathsec static " + config);
            return ExitCodes.NO_PERMISSION;
        }
        try {
            StaticTunnelService.run(config, statsFile, Duration.ofSeconds(durationSeconds), System.out);
            return ExitCodes.OK;
        } catch (ConfigException e) {
            System.err.println("pathsec static: " + e.getMessage());
            return ExitCodes.CONFIG;
        } catch (IOException e) {
            System.err.println("pathsec static: tunnel failed: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }
}
