package io.pathsec.engine.pki;

import io.pathsec.engine.ike.auth.CredentialException;
import io.pathsec.engine.ike.auth.LocalCredential;
import io.pathsec.engine.ike.auth.PemFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The files {@code pathsec pki} writes and reads: NAME.cert.pem (mode 0644) and NAME.key.pem
 * (PKCS#8, mode 0600 from the moment it exists: it is created with that mode, then moved into
 * place). Existing files are never overwritten.
 */
public final class PkiFiles {
    private static final Set<PosixFilePermission> KEY_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> CERT_MODE = PosixFilePermissions.fromString("rw-r--r--");

    /** Where one certificate and its key live. */
    public record Pair(Path certificate, Path key) {
        public static Pair in(Path directory, String baseName) {
            return new Pair(directory.resolve(baseName + ".cert.pem"), directory.resolve(baseName + ".key.pem"));
        }
    }

    private PkiFiles() {
    }

    /** Writes both files; refuses if either exists. */
    public static void write(Pair where, IssuedCertificate issued) throws IOException {
        for (Path p : List.of(where.certificate(), where.key())) {
            if (Files.exists(p)) {
                throw new FileAlreadyExistsException(p + " exists; PathSec does not overwrite keys or certificates");
            }
        }
        Path dir = where.key().toAbsolutePath().getParent();
        Files.createDirectories(dir);
        writeAtomically(where.key(), PemFiles.encode(issued.key()), KEY_MODE);
        writeAtomically(where.certificate(), PemFiles.encode(issued.certificate()), CERT_MODE);
    }

    /** A CA (or any certificate and key) written by {@link #write}, to issue certificates with. */
    public static IssuedCertificate read(Pair where) throws CredentialException {
        java.security.cert.X509Certificate cert = PemFiles.certificates(where.certificate()).get(0);
        java.security.PrivateKey key = PemFiles.privateKey(where.key());
        LocalCredential.checkKeyBelongs(cert, key, where.certificate() + " and " + where.key());
        return new IssuedCertificate(cert, key);
    }

    private static void writeAtomically(Path target, String content, Set<PosixFilePermission> mode)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(KEY_MODE));
        try {
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(tmp, mode);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
