package io.pathsec.app;

import ch.qos.logback.classic.Logger;
import io.pathsec.engine.control.ControlDaemonService;
import io.pathsec.engine.control.DaemonOptions;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code pathsec daemon}: the engine as a service holding any number of tunnels, serving the
 * control API that the CLI and the GUI use. Normally started by systemd (pathsec-daemon.service).
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Run the PathSec daemon in the foreground: it holds the tunnels and serves the control API",
                "on a Unix socket for `pathsec status|connect|…` and the GUI. Needs root or CAP_NET_ADMIN.",
                "Stop it with SIGTERM or Ctrl-C: every tunnel is taken down first."})
final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "/run/pathsec/control.sock",
            description = "the control socket (default: ${DEFAULT-VALUE})")
    Path socket;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/pathsec",
            description = "where profiles and their secrets are kept (default: ${DEFAULT-VALUE})")
    Path stateDir;

    @Override
    public Integer call() throws InterruptedException {
        if (!Privileges.canAdministerNetwork()) {
            System.err.println("pathsec daemon: needs root (or CAP_NET_ADMIN) for TUN devices and routes;"
                    + " try: sudo pathsec daemon, or: sudo systemctl start pathsec-daemon");
            return ExitCodes.NO_PERMISSION;
        }
        try {
            ControlDaemonService.run(DaemonOptions.standard(socket, stateDir, PathSecVersion.current()), System.out,
                    daemon -> {
                        DaemonLogForwarder forwarder = new DaemonLogForwarder(daemon);
                        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
                        forwarder.setContext(root.getLoggerContext());
                        forwarder.start();
                        root.addAppender(forwarder);
                    });
            return ExitCodes.OK;
        } catch (IOException e) {
            System.err.println("pathsec daemon: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }
}
