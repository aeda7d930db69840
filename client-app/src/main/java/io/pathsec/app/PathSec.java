package io.pathsec.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pathsec} command: one launcher for the lab, the tunnels and (later) the daemon,
 * the GUI and the CLI clients of the control API.
 */
@Command(name = "pathsec",
        mixinStandardHelpOptions = true,
        versionProvider = PathSecVersion.class,
        description = "PathSec: an IPsec VPN client and gateway that finds the real path MTU of every tunnel.",
        subcommands = {LabCommand.class, StaticTunnelCommand.class, StaticKeysCommand.class,
                DaemonCommand.class, GuiCommand.class, StatusCommand.class, ConnectCommand.class,
                DisconnectCommand.class, ProfilesCommand.class, EventsCommand.class, SaCommand.class, PmtuCommand.class,
                DiagCommand.class, CompletionCommand.class, PkiCommand.class,
                CommandLine.HelpCommand.class})
public final class PathSec implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, shared by main and the tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PathSec());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Expected failures (bad config, missing privileges) get one clear line, no trace.
            cmd.getErr().println("pathsec: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCodes.FAILURE;
        });
        return cl;
    }
}
