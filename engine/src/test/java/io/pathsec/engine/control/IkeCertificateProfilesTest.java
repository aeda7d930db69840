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
 * IKEv2 profiles with {@code "auth": "certificate"} through the real control API: the daemon
 * reads the PEM files when the profile is stored, keeps only their paths, and names the field
 * and the problem when a file is missing, unreadable, the wrong key, or names someone else.
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
        c.addProperty("cert", alice.certificate().toString());
        c.addProperty("key", alice.key().toString());
        c.addProperty("ca", ca.certificate().toString());
        return c;
    }

    @Test
    void aCertificateProfileIsStoredWithItsPathsAndNoSecret() throws Exception {
        PutProfileResult r = client.putProfile(Profile.of("office", ProfileKind.IKEV2_PSK, config()), false);
        assertTrue(r.created());
        Profile back = client.getProfile("office");
        assertEquals("certificate", back.config().get("auth").getAsString());
        assertEquals(alice.key().toString(), back.config().get("key").getAsString());
        assertTrue(back.storedSecrets().isEmpty(), back.storedSecrets().toString());
        String stored = Files.readString(daemon.stateDir.resolve("profiles/office.json"));
        assertFalse(stored.contains("PRIVATE KEY"), "the key stays in its file");

        JsonObject noId = config();
        noId.remove("localId"); // the certificate's subject DN is used
        client.putProfile(Profile.of("by-dn", ProfileKind.IKEV2_PSK, noId), false);
    }

    @Test
    void badCertificateSettingsNameTheFieldAndTheProblem() throws Exception {
        assertInvalid("config.key", "no such file", c -> c.addProperty("key", pki.resolve("nokey.pem").toString()));
        assertInvalid("config.key", "private key does not belong to the certificate",
                c -> c.addProperty("key", gateway.key().toString()));
        Path broken = Files.writeString(pki.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n");
        assertInvalid("config.ca", "is not readable PEM", c -> c.addProperty("ca", broken.toString()));
        assertInvalid("config.cert", "holds no PEM certificate", c -> c.addProperty("cert", alice.key().toString()));
        assertInvalid("config.ca", "is not a CA certificate", c -> c.addProperty("ca", alice.certificate().toString()));
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
