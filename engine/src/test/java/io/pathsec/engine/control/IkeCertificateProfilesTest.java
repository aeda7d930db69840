package io.pathsec.engine.control;

import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.PutProfileResult;
import io.pathsec.engine.ike.auth.TestCredentials;
import io.pathsec.engine.pki.KeyType;
import io.pathsec.engine.pki.PkiFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IKEv2 profiles with {@code "auth": "certificate"} through the real control API: PEM text in
 * the profile (the CLI inlines "@file:PATH"), the private key write-only and stored 0600 like a
 * PSK, and the field and the problem named when a part is not PEM, unreadable, the wrong key,
 * not a CA, or names someone else.
 */
@Timeout(60)
class IkeCertificateProfilesTest {
    @TempDir
    Path pki;

    private TestDaemon daemon;
    private ControlClient client;
    private PkiFiles.Pair alice;
    private PkiFiles.Pair gateway;
    private PkiFiles.Pair ca;

    @BeforeEach
    void start() throws Exception {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        alice = PkiFiles.Pair.in(pki, "alice");
        gateway = PkiFiles.Pair.in(pki, "gw");
        ca = PkiFiles.Pair.in(pki, "ca");
        PkiFiles.write(alice, t.client);
        PkiFiles.write(gateway, t.gateway);
        PkiFiles.write(ca, t.ca);
        daemon = new TestDaemon();
        client = ControlClient.connect(daemon.socket);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        daemon.close();
    }

    private JsonObject config() {
        JsonObject c = new JsonObject();
        c.addProperty("gateway", "192.0.2.1");
        c.addProperty("auth", "certificate");
        c.addProperty("localId", "alice@example.org");
        c.addProperty("remoteId", "vpn.example.net");
        c.addProperty("cert", pem(alice.certificate()));
        c.addProperty("key", pem(alice.key()));
        c.addProperty("ca", pem(ca.certificate()));
        return c;
    }

    private static String pem(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCertificateProfileKeepsItsPrivateKeyWriteOnly() throws Exception {
        PutProfileResult r = client.putProfile(Profile.of("office", ProfileKind.IKEV2_PSK, config()), false);
        assertTrue(r.created());
        Profile back = client.getProfile("office");
        assertEquals("certificate", back.config().get("auth").getAsString());
        assertEquals("@stored", back.config().get("key").getAsString());
        assertEquals(java.util.List.of("key"), back.storedSecrets());
        assertTrue(back.config().get("cert").getAsString().contains("BEGIN CERTIFICATE"), "public parts are shown");
        String stored = Files.readString(daemon.stateDir.resolve("profiles/office.json"));
        assertFalse(stored.contains("PRIVATE KEY"), "the key is stored apart");
        Path secrets = daemon.stateDir.resolve("secrets/office.json");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(secrets)));
        assertTrue(Files.readString(secrets).contains("PRIVATE KEY"));
        assertTrue(daemon.logLines().stream().noneMatch(l -> l.contains("PRIVATE KEY")), "never logged");

        // Put back as read: the stored key is kept.
        client.putProfile(Profile.of("office", ProfileKind.IKEV2_PSK, back.config()), true);
        assertEquals("@stored", client.getProfile("office").config().get("key").getAsString());

        JsonObject noId = config();
        noId.remove("localId"); // the certificate's subject DN is used
        client.putProfile(Profile.of("by-dn", ProfileKind.IKEV2_PSK, noId), false);
    }

    @Test
    void badCertificateSettingsNameTheFieldAndTheProblem() throws Exception {
        assertInvalid("config.key", "must be PEM text", c -> c.addProperty("key", pki.resolve("nokey.pem").toString()));
        assertInvalid("config.key", "private key does not belong to the certificate",
                c -> c.addProperty("key", pem(gateway.key())));
        assertInvalid("config.ca", "is not readable PEM",
                c -> c.addProperty("ca", "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n"));
        assertInvalid("config.cert", "holds no PEM certificate", c -> c.addProperty("cert", pem(alice.key())));
        assertInvalid("config.ca", "is not a CA certificate", c -> c.addProperty("ca", pem(alice.certificate())));
        assertInvalid("config.key", "no key is stored", c -> c.addProperty("key", "@stored"));
        assertInvalid("config.localId", "identity does not match certificate",
                c -> c.addProperty("localId", "bob@example.org"));
        assertInvalid("config.ca", "missing", c -> c.remove("ca"));
        assertInvalid("config.psk", "leave it out", c -> c.addProperty("psk", "a-psk-that-does-not-belong-here"));
        assertInvalid("config.auth", "must be \"psk\" or \"certificate\"", c -> c.addProperty("auth", "x509"));
        assertInvalid("config.cert", "set auth to \"certificate\"", c -> {
            c.remove("auth");
            c.addProperty("psk", "psk-and-a-certificate-0123456789");
        });
    }

    private void assertInvalid(String field, String words, Consumer<JsonObject> change) {
        JsonObject c = config();
        change.accept(c);
        ControlException e = assertThrows(ControlException.class,
                () -> client.putProfile(Profile.of("bad", ProfileKind.IKEV2_PSK, c), false));
        assertEquals(ErrorCode.INVALID_PROFILE, e.code(), e.getMessage());
        assertEquals(field, e.error().field(), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }
}
