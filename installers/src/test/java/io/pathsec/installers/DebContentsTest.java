package io.pathsec.installers;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The .deb as built, without installing it (no root needed): control fields, files, maintainer
 * scripts, the unit's hardening, and the launcher run from a dpkg-deb -x copy.
 */
class DebContentsTest {
    private static final String APP = "./opt/pathsec/";
    /** Issue 8's budget for the download. */
    private static final long MAX_SIZE = 60L * 1024 * 1024;

    @TempDir
    static Path work;
    static DebPackage deb;
    static Path control;
    static Path root;

    @BeforeAll
    static void unpack() throws IOException {
        deb = DebPackage.built();
        control = Files.createDirectory(work.resolve("control"));
        root = Files.createDirectory(work.resolve("root"));
        deb.extractControl(control);
        deb.extractFiles(root);
    }

    @Test
    void controlFieldsNameTheVersionFromThePom() {
        assertEquals("pathsec", deb.field("Package"));
        assertEquals(DebVersion.of(System.getProperty("pathsec.version")) + "-1", deb.field("Version"));
        String depends = deb.field("Depends");
        assertTrue(depends.contains("adduser") && depends.contains("iproute2"), depends);
        assertFalse(depends.contains("xdg-utils"), "our postinst installs the desktop entry itself: " + depends);
    }

    @Test
    void snapshotVersionsSortBeforeTheRelease() {
        String snapshot = DebVersion.of("0.1.0-SNAPSHOT");
        assertEquals("0.1.0~snapshot", snapshot);
        Command.run("dpkg", "--compare-versions", snapshot + "-1", "lt", "0.1.0-1").ok();
    }

    @Test
    void everyFileLivesUnderOptAndTheLaunchersAreThere() {
        List<String> paths = deb.paths();
        for (String p : List.of("bin/pathsec", "bin/pathsec-gui", "lib/app/share/pathsec.png", "lib/runtime/bin/java",
                "lib/app/share/pathsec-daemon.service", "lib/app/share/pathsec.desktop")) {
            assertTrue(paths.contains(APP + p), "missing " + APP + p);
        }
        // Everything outside /opt/pathsec is made by postinst, so dpkg must not ship any.
        List<String> outside = paths.stream()
                .filter(p -> !p.startsWith(APP) && !List.of("./", "./opt/", "./opt/pathsec/").contains(p)).toList();
        assertEquals(List.of(), outside);
    }

    @Test
    void packageIsUnderSixtyMegabytes() throws IOException {
        long size = Files.size(deb.file());
        System.out.printf("package size: %d bytes (%.1f MiB): %s%n", size, size / 1048576.0, deb.file());
        assertTrue(size < MAX_SIZE, "package is " + size + " bytes");
    }

    @Test
    void maintainerScriptsAreValidShellAndDoTheirJobs() throws IOException {
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path s = control.resolve(script);
            assertTrue(Files.isExecutable(s), script + " missing or not executable");
            Command.run("sh", "-n", s.toString()).ok();
        }
        String postinst = Files.readString(control.resolve("postinst"));
        assertTrue(postinst.contains("addgroup --quiet --system pathsec"));
        assertTrue(postinst.contains("SUDO_USER") && postinst.contains("PKEXEC_UID"));
        assertTrue(postinst.contains("[ -d /run/systemd/system ]"), "starts the daemon only under systemd");
        String prerm = Files.readString(control.resolve("prerm"));
        assertTrue(prerm.contains("systemctl stop"));
        String postrm = Files.readString(control.resolve("postrm"));
        assertTrue(postrm.contains("rm -rf /etc/pathsec /var/lib/pathsec /run/pathsec"));
        assertTrue(postrm.contains("delgroup --quiet --system pathsec"));
    }

    @Test
    void daemonUnitRunsWithLeastPrivilege() {
        UnitFile unit = UnitFile.read(root.resolve("opt/pathsec/lib/app/share/pathsec-daemon.service"));
        assertEquals("pathsec", unit.get("User"));
        assertEquals("pathsec", unit.get("Group"));
        assertEquals("CAP_NET_ADMIN CAP_NET_RAW", unit.get("AmbientCapabilities"));
        assertEquals("CAP_NET_ADMIN CAP_NET_RAW", unit.get("CapabilityBoundingSet"));
        assertEquals("yes", unit.get("NoNewPrivileges"));
        assertEquals("strict", unit.get("ProtectSystem"));
        assertEquals("yes", unit.get("ProtectHome"));
        assertEquals("yes", unit.get("PrivateTmp"));
        assertEquals("/var/lib/pathsec /etc/pathsec", unit.get("ReadWritePaths"));
        assertEquals("/dev/net/tun rw", unit.get("DeviceAllow"));
        assertEquals("pathsec", unit.get("RuntimeDirectory"));
        assertEquals("0750", unit.get("RuntimeDirectoryMode"));
        List<String> exec = unit.execStart();
        assertEquals(List.of("/opt/pathsec/bin/pathsec", "daemon"), exec.subList(0, 2));
        assertTrue(Files.isExecutable(root.resolve(exec.get(0).substring(1))), "ExecStart's launcher is in the package");
    }

    @Test
    void desktopEntryPointsAtFilesInThePackage() {
        UnitFile entry = UnitFile.read(root.resolve("opt/pathsec/lib/app/share/pathsec.desktop"));
        assertEquals("Application", entry.get("Type"));
        assertTrue(Files.isExecutable(root.resolve(entry.get("Exec").split(" ")[0].substring(1))), entry.get("Exec"));
        assertTrue(Files.isRegularFile(root.resolve(entry.get("Icon").substring(1))), entry.get("Icon"));
    }

    @Test
    void installedLauncherPrintsTheVersion() {
        String out = Command.run(launcher(), "--version").ok();
        assertTrue(out.startsWith("PathSec " + System.getProperty("pathsec.version")), out);
    }

    @Test
    void installedLauncherKnowsTheDaemonCommand() {
        String out = Command.run(launcher(), "daemon", "--help").ok();
        assertTrue(out.contains("--socket") && out.contains("--state-dir"), out);
    }

    @Test
    void guiLauncherStartsTheGuiWhenTheLauncherHasOne() throws IOException {
        boolean hasGui = Command.run(launcher(), "--help").ok().lines().anyMatch(l -> l.matches(" +gui( .*)?"));
        String cfg = Files.readString(root.resolve("opt/pathsec/lib/app/pathsec-gui.cfg"));
        assertEquals(hasGui, cfg.contains("arguments=gui"), cfg);
    }

    @Test
    void runtimeHoldsOnlyTheModulesPathSecNeeds() throws IOException {
        String modules = Files.readAllLines(root.resolve("opt/pathsec/lib/runtime/release")).stream()
                .filter(l -> l.startsWith("MODULES=")).findFirst().orElseThrow();
        assertTrue(modules.contains("java.base") && modules.contains("jdk.crypto.ec"), modules);
        for (String absent : List.of("jdk.compiler", "java.rmi", "jdk.jshell", "jdk.httpserver")) {
            assertFalse(modules.contains(absent), absent + " should not be linked: " + modules);
        }
    }

    private static String launcher() {
        return root.resolve("opt/pathsec/bin/pathsec").toString();
    }
}
