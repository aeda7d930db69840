package io.pathsec.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Whether this process may create TUN devices and change routes (root or CAP_NET_ADMIN). */
final class Privileges {
    /** Bit 12 of the effective capability set (linux/capability.h). */
    private static final long CAP_NET_ADMIN = 1L << 12;

    private Privileges() {
    }

    static boolean canAdministerNetwork() {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : status) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & CAP_NET_ADMIN) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
