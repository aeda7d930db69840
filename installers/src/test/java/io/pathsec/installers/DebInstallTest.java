package io.pathsec.installers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Installs the .deb on this machine, runs its daemon the way the unit would, uses it as a
 * member of the group, then removes and purges the package and checks that nothing is left.
 * Needs root and changes the system (accounts, /opt, /etc): CI machines are throwaway. It
 * refuses to touch a machine where PathSec is already installed or its accounts exist.
 */
class DebInstallTest {
    private static final Path UNIT = Path.of("/lib/systemd/system/pathsec-daemon.service");
    private static final Path WANTS = Path.of("/etc/systemd/system/multi-user.target.wants/pathsec-daemon.service");
    private static final Path DESKTOP = Path.of("/usr/share/applications/pathsec.desktop");
    private static final Path COMMAND = Path.of("/usr/bin/pathsec");
    private static final Path SOCKET = Path.of("/run/pathsec/control.sock");
    /** Everything the package adds to the file system, dpkg's files and postinst's. */
    private static final List<Path> ADDED = List.of(Path.of("/opt/pathsec"), UNIT, WANTS, DESKTOP, COMMAND,
            Path.of("/etc/pathsec"), Path.of("/var/lib/pathsec"), Path.of("/run/pathsec"));

    /** Stands in for the person who ran `sudo apt install`. */
    private final String installer = "pathsec-it-" + ProcessHandle.current().pid();

    @TempDir
    Path work;

    @Test
    void installRunAsTheUnitWouldRemoveAndPurge() throws Exception {
        assumeTrue("0".equals(Command.run("id", "-u").ok().trim()),
                "skipped: installs the .deb system-wide, so it needs root (run as root on a throwaway machine, as CI does)");
        DebPackage deb = DebPackage.built();
        assumeFalse(Command.run("dpkg", "-s", "pathsec").exitCode() == 0, "skipped: pathsec is installed here; not touching it");
        assumeFalse(exists("group", "pathsec") || exists("passwd", "pathsec"),
                "skipped: a pathsec account exists already; purging would delete it");
        assumeFalse(Files.exists(Path.of("/run/pathsec")), "skipped: /run/pathsec exists (a daemon running here?)");

        Command.run("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin",
                installer).ok();
        try {
            Command.run(Map.of("SUDO_USER", installer, "DEBIAN_FRONTEND", "noninteractive"),
                    List.of("dpkg", "-i", deb.file().toString())).ok();
            checkInstalled();
            checkDaemonStartedAsTheUnitWould();
            checkRemoveKeepsConfiguration();
            Command.run("dpkg", "--purge", "pathsec").ok();
            checkNothingLeft();
        } finally {
            Command.run("dpkg", "--purge", "pathsec");
            Command.run("userdel", installer);
        }
    }

    private void checkInstalled() throws IOException {
        assertTrue(exists("group", "pathsec"), "group pathsec");
        assertTrue(Command.run("id", "-nG", installer).ok().contains("pathsec"), "the installing user joined the group");
        String[] daemonUser = Command.run("getent", "passwd", "pathsec").ok().trim().split(":");
        assertEquals("/var/lib/pathsec", daemonUser[5]);
        assertEquals("/usr/sbin/nologin", daemonUser[6]);

        assertTrue(Files.isRegularFile(UNIT), "unit file");
        assertTrue(Files.isSymbolicLink(WANTS), "unit enabled");
        assertTrue(Files.isRegularFile(DESKTOP), "desktop entry");
        assertEquals(Path.of("/opt/pathsec/bin/pathsec"), Files.readSymbolicLink(COMMAND));
        assertTrue(Command.run(COMMAND.toString(), "--version").ok().startsWith("PathSec "), "pathsec on the PATH");
        assertTrue(Files.isExecutable(Path.of(UnitFile.read(DESKTOP).get("Exec").split(" ")[0])), "GUI launcher");

        assertOwnedByDaemon(Path.of("/etc/pathsec"), "rwxr-x---");
        assertOwnedByDaemon(Path.of("/var/lib/pathsec"), "rwx------");
        Command.run("systemd-analyze", "verify", UNIT.toString()).ok();
    }

    private void checkDaemonStartedAsTheUnitWould() throws Exception {
        UnitFile unit = UnitFile.read(UNIT);
        Path log = work.resolve("daemon.log");
        Process daemon = UnitLaunch.start(unit, log);
        try {
            UnitLaunch.awaitFile(daemon, SOCKET, log);
            // Least privilege, as the kernel sees the daemon: its user, and CAP_NET_ADMIN
            // (bit 12) and CAP_NET_RAW (bit 13) only.
            String status = Files.readString(Path.of("/proc", Long.toString(daemon.pid()), "status"));
            String uid = Command.run("id", "-u", "pathsec").ok().trim();
            assertTrue(status.contains("\nUid:\t" + uid + "\t"), status);
            assertTrue(status.contains("\nCapEff:\t0000000000003000"), status);
            assertTrue(status.contains("\nNoNewPrivs:\t1"), status);

            Command member = asUser(installer, COMMAND.toString(), "status", "--socket", SOCKET.toString());
            assertTrue(member.ok().contains("no profiles"), member.output());
            Command stranger = asUser("nobody", COMMAND.toString(), "status", "--socket", SOCKET.toString());
            assertNotEquals(0, stranger.exitCode(), "a user outside the group must not reach the daemon: " + stranger.output());
        } finally {
            UnitLaunch.stop(unit, daemon);
        }
    }

    /** dpkg -r: the program and what postinst linked are gone, configuration and accounts stay. */
    private void checkRemoveKeepsConfiguration() {
        Command.run("dpkg", "-r", "pathsec").ok();
        for (Path p : List.of(Path.of("/opt/pathsec"), UNIT, WANTS, DESKTOP, COMMAND)) {
            assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " left after remove");
        }
        assertTrue(Files.isDirectory(Path.of("/var/lib/pathsec")), "state kept until purge");
        assertTrue(exists("group", "pathsec"), "group kept until purge");
    }

    private void checkNothingLeft() {
        for (Path p : ADDED) {
            assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " left after purge");
        }
        assertFalse(exists("group", "pathsec"), "group left after purge");
        assertFalse(exists("passwd", "pathsec"), "user left after purge");
        assertNotEquals(0, Command.run("dpkg", "-s", "pathsec").exitCode(), "dpkg still knows the package");
    }

    /** Runs a command as {@code user} with the groups the group database gives them (a login's). */
    private static Command asUser(String user, String... argv) {
        List<String> cmd = new java.util.ArrayList<>(List.of("setpriv", "--reuid", user, "--regid",
                Command.run("id", "-g", user).ok().trim(), "--init-groups", "--"));
        cmd.addAll(List.of(argv));
        return Command.run(Map.of(), cmd);
    }

    private static void assertOwnedByDaemon(Path dir, String mode) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class);
        assertEquals("pathsec", a.owner().getName(), dir + " owner");
        assertEquals("pathsec", a.group().getName(), dir + " group");
        assertEquals(mode, PosixFilePermissions.toString(a.permissions()), dir + " mode");
    }

    private static boolean exists(String database, String name) {
        return Command.run("getent", database, name).exitCode() == 0;
    }
}
