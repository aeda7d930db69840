package io.pathsec.installers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Starts a unit's ExecStart the way systemd would, for machines where systemd is not running:
 * the unit's RuntimeDirectory with its owner and mode, then the command as the unit's User and
 * Group with its ambient capabilities, bounding set and no_new_privs (setpriv). Not imitated:
 * the mount namespace (ProtectSystem, PrivateTmp …) and the device cgroup.
 */
final class UnitLaunch {
    private UnitLaunch() {
    }

    static Process start(UnitFile unit, Path log) throws IOException {
        Path runtimeDir = Path.of("/run", unit.get("RuntimeDirectory"));
        Command.run("install", "-d", "-o", unit.get("User"), "-g", unit.get("Group"),
                "-m", unit.get("RuntimeDirectoryMode"), runtimeDir.toString()).ok();
        String caps = setprivCaps(unit.get("AmbientCapabilities"));
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid", unit.get("User"), "--regid", unit.get("Group"),
                "--init-groups", "--inh-caps", "-all," + caps, "--ambient-caps", "-all," + caps,
                "--bounding-set", "-all," + setprivCaps(unit.get("CapabilityBoundingSet"))));
        if ("yes".equals(unit.get("NoNewPrivileges"))) {
            argv.add("--no-new-privs");
        }
        argv.add("--");
        argv.addAll(unit.execStart());
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Stops it with SIGTERM, as systemctl stop does, and removes the RuntimeDirectory after. */
    static void stop(UnitFile unit, Process daemon) throws InterruptedException {
        daemon.destroy();
        if (!daemon.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            daemon.destroyForcibly().waitFor();
        }
        Command.run("rm", "-rf", Path.of("/run", unit.get("RuntimeDirectory")).toString()).ok();
    }

    /** "CAP_NET_ADMIN CAP_NET_RAW" as setpriv writes it: "+net_admin,+net_raw". */
    static String setprivCaps(String unitCaps) {
        List<String> caps = new ArrayList<>();
        for (String c : unitCaps.trim().split("\\s+")) {
            caps.add("+" + c.toLowerCase(Locale.ROOT).replaceFirst("^cap_", ""));
        }
        return String.join(",", caps);
    }

    /** Waits until {@code file} exists (the daemon's socket), or the process ended. */
    static void awaitFile(Process daemon, Path file, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!Files.exists(file)) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no " + file + " (daemon " + (daemon.isAlive() ? "still starting" : "exited "
                        + daemon.exitValue()) + "):\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }
}
