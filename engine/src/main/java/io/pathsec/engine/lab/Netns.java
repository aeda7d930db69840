package io.pathsec.engine.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One named network namespace ({@code /run/netns/NAME}) and the commands run inside it.
 * Wraps {@code ip netns}; every call is bounded by a timeout and a failure names the command.
 */
final class Netns {

    private static final Path NETNS_DIR = Path.of("/run/netns");

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** Creates the namespace and brings its loopback up (ping to self and local sockets need it). */
    static Netns create(String name) throws IOException {
        ExternalCommand.runChecked(List.of("ip", "netns", "add", name), null, ExternalCommand.DEFAULT_TIMEOUT);
        Netns netns = new Netns(name);
        netns.ip("link set lo up\n");
        return netns;
    }

    /** A handle on an existing namespace, for cleanup. */
    static Netns existing(String name) {
        return new Netns(name);
    }

    /** Names of all namespaces {@code ip netns} knows. */
    static List<String> list() throws IOException {
        ProcessResult result = ExternalCommand.runChecked(List.of("ip", "netns", "list"), null,
                ExternalCommand.DEFAULT_TIMEOUT);
        List<String> names = new ArrayList<>();
        // Lines look like "name (id: 3)" or just "name".
        for (String line : result.stdout().split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty()) {
                names.add(trimmed.split("\\s+", 2)[0]);
            }
        }
        return names;
    }

    static boolean exists(String name) {
        return Files.exists(NETNS_DIR.resolve(name));
    }

    String name() {
        return name;
    }

    /** {@code ip netns exec NAME command…}, whatever its exit code. */
    ProcessResult exec(Duration timeout, String stdin, List<String> command) throws IOException {
        return ExternalCommand.run(execPrefix(command), stdin, timeout);
    }

    /** {@code ip netns exec NAME command…}; a non-zero exit raises an IOException. */
    ProcessResult execChecked(String stdin, String... command) throws IOException {
        return ExternalCommand.runChecked(execPrefix(List.of(command)), stdin, ExternalCommand.DEFAULT_TIMEOUT);
    }

    /** The full command line that runs {@code command} inside this namespace. */
    List<String> execPrefix(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /**
     * Runs {@code ip} commands in this namespace as one batch (one line each, without the leading
     * {@code ip}); ip stops at the first failing line and reports it.
     */
    void ip(String batch) throws IOException {
        ExternalCommand.runChecked(List.of("ip", "-n", name, "-batch", "-"), batch, ExternalCommand.DEFAULT_TIMEOUT);
    }

    /** Sets kernel parameters of this namespace ({@code net.*} keys are per namespace). */
    void sysctl(Map<String, String> settings) throws IOException {
        List<String> command = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        settings.forEach((key, value) -> command.add(key + "=" + value));
        execChecked(null, command.toArray(String[]::new));
    }

    /** Loads an nftables script into this namespace atomically ({@code nft -f -}). */
    void nft(String script) throws IOException {
        execChecked(script, "nft", "-f", "-");
    }

    /** PIDs of the processes living in this namespace. */
    List<Long> pids() throws IOException {
        ProcessResult result = ExternalCommand.runChecked(List.of("ip", "netns", "pids", name), null,
                ExternalCommand.DEFAULT_TIMEOUT);
        List<Long> pids = new ArrayList<>();
        for (String token : result.stdout().split("\\s+")) {
            if (!token.isEmpty()) {
                pids.add(Long.parseLong(token));
            }
        }
        return pids;
    }

    /**
     * Ends every process inside (by PID), then deletes the namespace; its veths go with it.
     * A namespace that is already gone is not an error.
     */
    void destroy() throws IOException {
        if (!exists(name)) {
            return;
        }
        for (long pid : pids()) {
            OwnedProcesses.endPid(pid, Duration.ofSeconds(2));
        }
        ExternalCommand.runChecked(List.of("ip", "netns", "del", name), null, ExternalCommand.DEFAULT_TIMEOUT);
    }

    @Override
    public String toString() {
        return name;
    }
}
