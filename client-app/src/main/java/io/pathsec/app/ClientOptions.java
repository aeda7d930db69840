package io.pathsec.app;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every client of the daemon shares. */
final class ClientOptions {
    @Option(names = "--socket", paramLabel = "PATH",
            defaultValue = "${env:PATHSEC_SOCKET:-/run/pathsec/control.sock}",
            description = "the daemon's control socket (default: ${DEFAULT-VALUE}; env PATHSEC_SOCKET)")
    Path socket;

    @Option(names = "--json", description = "print JSON (one object per line) for scripts")
    boolean json;
}
