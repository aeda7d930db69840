package io.pathsec.app;

import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.DaemonUnavailableException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Runs one client command against the daemon and turns every way it can fail into one line that
 * says what to do and an exit code a script can test ({@link ExitCodes}).
 */
final class DaemonCall {
    /** The command's work, given a connected client. */
    @FunctionalInterface
    interface Work {
        int run(ControlClient client) throws IOException, ControlException, InterruptedException;
    }

    private DaemonCall() {
    }

    static int run(CommandSpec spec, ClientOptions options, Work work) {
        PrintWriter err = spec.commandLine().getErr();
        String command = "pathsec " + spec.qualifiedName(" ").replaceFirst("^pathsec ", "");
        try (ControlClient client = ControlClient.connect(options.socket)) {
            return work.run(client);
        } catch (DaemonUnavailableException e) {
            err.println(command + ": " + e.getMessage());
            return e.reason() == DaemonUnavailableException.Reason.NO_ACCESS
                    ? ExitCodes.NO_PERMISSION : ExitCodes.DAEMON_UNAVAILABLE;
        } catch (ControlException e) {
            if (options.json) {
                spec.commandLine().getOut().println(ControlCodec.gson().toJson(e.error()));
            }
            err.println(command + ": " + e.getMessage() + hint(e));
            return exitCode(e);
        } catch (IOException e) {
            err.println(command + ": " + e.getMessage());
            return ExitCodes.DAEMON_UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILURE;
        } finally {
            spec.commandLine().getOut().flush();
            err.flush();
        }
    }

    static int exitCode(ControlException e) {
        return switch (e.code()) {
            case BAD_REQUEST, TOO_LARGE -> ExitCodes.DATA_ERROR;
            case UNSUPPORTED_VERSION -> ExitCodes.PROTOCOL;
            case NOT_FOUND -> ExitCodes.NOT_FOUND;
            case ALREADY_EXISTS -> ExitCodes.ALREADY_EXISTS;
            case INVALID_PROFILE -> ExitCodes.CONFIG;
            case PERMISSION_DENIED -> ExitCodes.NO_PERMISSION;
            case TUNNEL_FAILED, INTERNAL -> ExitCodes.FAILURE;
        };
    }

    private static String hint(ControlException e) {
        return switch (e.code()) {
            case NOT_FOUND -> e.getMessage().startsWith("no profile") ? " (list them with: pathsec profiles list)" : "";
            case INTERNAL -> " (see the daemon's log: journalctl -u pathsec-daemon)";
            case UNSUPPORTED_VERSION -> " (the CLI and the daemon come from different PathSec versions)";
            default -> "";
        };
    }
}
