package io.pathsec.app;

import io.pathsec.ui.GuiLauncher;
import io.pathsec.ui.GuiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code pathsec gui}: the desktop window, a client of the daemon like the CLI. Runs as the
 * user, never as root; the daemon holds the privileges. This class (not an Application subclass)
 * is what lets the JavaFX runtime start from the class path.
 */
@Command(name = "gui", mixinStandardHelpOptions = true,
        description = {"Open the PathSec window: profiles, connect/disconnect, the live",
                "dashboard, Path MTU, ICMP handling and the daemon's log. It talks to",
                "the daemon over its control socket and needs no privileges."})
final class GuiCommand implements Callable<Integer> {
    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "/run/pathsec/control.sock",
            description = "the daemon's control socket (default: ${DEFAULT-VALUE})")
    Path socket;

    @Option(names = "--screenshot-dir", paramLabel = "DIR",
            description = "render each main view to DIR/<view>.png, then exit (for the documentation)")
    Path screenshotDir;

    @Override
    public Integer call() {
        if (!DesktopDisplay.present()) {
            System.err.println("pathsec gui: no display (DISPLAY is not set); use `pathsec status` and "
                    + "`pathsec events` in a terminal, or run under xvfb-run for screenshots");
            return ExitCodes.FAILURE;
        }
        GuiLauncher.launch(new GuiOptions(socket, screenshotDir, PathSecVersion.current()));
        return ExitCodes.OK;
    }
}
