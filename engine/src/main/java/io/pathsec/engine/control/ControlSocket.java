package io.pathsec.engine.control;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * The socket file's surroundings: its directory (0750, group {@code pathsec}, so nobody else
 * even reaches the socket while its own mode is being set), a stale socket left by a daemon
 * that was killed, and the mode and group of the socket once bound.
 */
final class ControlSocket {
    private static final Logger LOG = LoggerFactory.getLogger(ControlSocket.class);

    private ControlSocket() {
    }

    /** Readies the path for binding; refuses if another daemon answers there. */
    static void prepare(Path socket, String group) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
            setGroup(dir, group);
        }
        if (Files.exists(socket)) {
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(socket));
                throw new IOException("another PathSec daemon is already listening on " + socket);
            } catch (IOException refused) {
                if (refused.getMessage() != null && refused.getMessage().startsWith("another")) {
                    throw refused;
                }
                LOG.info("removing the stale control socket {}", socket);
                Files.delete(socket);
            }
        }
    }

    /** Gives the bound socket its mode and group. */
    static void secure(Path socket, String mode, String group) throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(mode));
        setGroup(socket, group);
    }

    private static void setGroup(Path path, String group) throws IOException {
        if (group == null) {
            return;
        }
        try {
            GroupPrincipal g = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(g);
        } catch (UserPrincipalNotFoundException e) {
            LOG.info("group {} does not exist: only root may use {} (create it with: sudo groupadd --system {})",
                    group, path, group);
        }
    }
}
