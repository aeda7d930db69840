package io.pathsec.app;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code pathsec completion bash}: the completion script for bash (zsh reads it too, with
 * {@code bashcompinit}), generated from the command tree so it never falls behind.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script. Install it with:",
                "  pathsec completion bash > /etc/bash_completion.d/pathsec",
                "or for one shell: source <(pathsec completion bash)"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", defaultValue = "bash", description = "bash (zsh: with bashcompinit)")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            spec.commandLine().getErr().println("pathsec completion: no completion for " + shell + "; bash and zsh"
                    + " (with bashcompinit) are supported");
            return ExitCodes.USAGE;
        }
        spec.commandLine().getOut().print(AutoComplete.bash("pathsec", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
