package io.pathsec.engine.ike.auth;

import io.pathsec.engine.pki.IssuedCertificate;
import io.pathsec.engine.pki.KeyType;
import io.pathsec.engine.pki.PkiFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PEM files of certificates, keys and trust stores: written 0600 for keys, read back, broken ones refused in words. */
class CredentialFilesTest {
    @TempDir
    Path dir;

    @Test
    void writtenFilesReadBackAndKeysAre0600() throws Exception {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        PkiFiles.Pair files = PkiFiles.Pair.in(dir, "alice");
        PkiFiles.write(files, t.client);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key())));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.certificate())));
        assertTrue(Files.readString(files.key()).startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8");
        LocalCredential c = LocalCredential.load(files.certificate(), files.key());
        assertEquals(t.client.certificate(), c.certificate());
        assertThrows(FileAlreadyExistsException.class, () -> PkiFiles.write(files, t.client));
    }

    @Test
    void brokenFilesAreRefusedNamingTheFileAndTheProblem() throws Exception {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        PkiFiles.Pair alice = PkiFiles.Pair.in(dir, "alice");
        PkiFiles.write(alice, t.client);
        PkiFiles.Pair gw = PkiFiles.Pair.in(dir, "gw");
        PkiFiles.write(gw, t.gateway);

        assertMessage(() -> LocalCredential.load(dir.resolve("missing.pem"), alice.key()), "missing.pem: no such file");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\n!!!notbase64\n"
                + "-----END CERTIFICATE-----\n");
        assertMessage(() -> LocalCredential.load(garbage, alice.key()), "garbage.pem is not readable PEM");
        Path der = Files.write(dir.resolve("cert.der"), t.client.certificate().getEncoded());
        assertMessage(() -> LocalCredential.load(der, alice.key()), "holds no PEM certificate");
        assertMessage(() -> LocalCredential.load(alice.certificate(), gw.key()),
                "the private key does not belong to the certificate \"CN=alice@example.org\"");
        assertMessage(() -> LocalCredential.load(alice.certificate(), alice.certificate()), "holds no PEM private key");
        PkiFiles.Pair ca = PkiFiles.Pair.in(dir, "ca");
        PkiFiles.write(ca, t.ca);
        assertMessage(() -> LocalCredential.load(ca.certificate(), ca.key()), "lacks digitalSignature");
        assertMessage(() -> TrustStore.load(alice.certificate()), "is not a CA certificate");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertMessage(() -> TrustStore.load(empty), "holds no CA certificate");
    }

    @Test
    void trustStoreReadsAFileOrEveryPemOfADirectory() throws Exception {
        Path cas = Files.createDirectory(dir.resolve("cas"));
        IssuedCertificate a = TestCredentials.of(KeyType.ECDSA_P256).ca;
        IssuedCertificate b = TestCredentials.of(KeyType.RSA_3072).ca;
        Files.writeString(cas.resolve("a.pem"), PemFiles.encode(a.certificate()));
        Files.writeString(cas.resolve("b.crt"), PemFiles.encode(b.certificate()));
        Files.writeString(cas.resolve("README"), "not a certificate");
        assertEquals(2, TrustStore.load(cas).certificates().size());
        assertEquals(1, TrustStore.load(cas.resolve("a.pem")).certificates().size());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String words) {
        CredentialException x = assertThrows(CredentialException.class, e);
        assertTrue(x.getMessage().contains(words), x.getMessage());
    }
}
