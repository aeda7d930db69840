package io.pathsec.engine.lab;

import java.util.List;

/**
 * The outcome of one finished command: its exit code and everything it wrote.
 *
 * @param command  the full command line as run (including the {@code ip netns exec} prefix)
 * @param exitCode the process exit code
 * @param stdout   standard output, decoded as UTF-8
 * @param stderr   standard error, decoded as UTF-8
 */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr) {

    public ProcessResult {
        command = List.copyOf(command);
    }

    /** True when the command exited with 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Standard output followed by standard error, for matching messages that go either way. */
    public String output() {
        return stdout + stderr;
    }

    /** One line for error messages and logs. */
    public String describe() {
        return String.join(" ", command) + " -> exit " + exitCode
                + (stderr.isBlank() ? "" : ": " + stderr.strip());
    }
}
