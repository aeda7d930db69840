package io.pathsec.engine.pmtu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the file descriptor of one of this process's UDP sockets by its local port, so that
 * socket options the JDK does not offer (IP_MTU_DISCOVER, ip(7)) can be set on a
 * {@link java.nio.channels.DatagramChannel}: the kernel lists the namespace's UDP sockets with
 * their inodes in /proc/self/net/udp{,6}, and /proc/self/fd links each descriptor to its inode.
 */
public final class UdpSocketFd {
    private UdpSocketFd() {
    }

    /** The descriptor of our UDP socket bound to {@code localPort}, or -1 when there is none. */
    public static int find(int localPort) {
        try {
            Set<String> inodes = new HashSet<>();
            for (String table : List.of("/proc/self/net/udp", "/proc/self/net/udp6")) {
                Path p = Path.of(table);
                if (Files.isReadable(p)) {
                    inodes.addAll(inodesOnPort(Files.readAllLines(p), localPort));
                }
            }
            if (inodes.isEmpty()) {
                return -1;
            }
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path fd : fds) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException e) {
                        continue; // closed meanwhile
                    }
                    if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Lines of /proc/net/udp: "sl local_address rem_address st ... uid timeout inode", ports in hex. */
    static Set<String> inodesOnPort(List<String> lines, int port) {
        Set<String> out = new HashSet<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10) {
                continue;
            }
            int colon = f[1].lastIndexOf(':');
            if (colon > 0 && Integer.parseInt(f[1].substring(colon + 1), 16) == port) {
                out.add(f[9]);
            }
        }
        return out;
    }
}
