package io.pathsec.app;

import io.pathsec.engine.ike.auth.LocalCredential;
import io.pathsec.engine.ike.auth.TrustStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pathsec pki}: a CA, a gateway and a client certificate written as files, read back by
 * PathSec's own trust store and checked independently by OpenSSL ({@code openssl verify} and the
 * extensions it prints); refusals keep their exit codes.
 */
class PkiCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run pathsec(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = PathSec.commandLine().execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static String openssl(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(args)).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void makesACaAGatewayAndAClientThatChainAndCarryTheirNames() throws Exception {
        Path ca = dir.resolve("ca");
        Run r = pathsec("pki", "ca", "--name", "Example VPN CA", "--key-type", "ecdsa-p384", "--out", ca.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertTrue(r.out().contains("ca.cert.pem") && r.out().contains("mode 0600"), r.out());
        Run gw = pathsec("pki", "gateway", "--ca", ca.toString(), "--name", "vpn.example.net", "--ip", "192.0.2.1",
                "--key-type", "rsa-3072", "--out", dir.toString());
        assertEquals(ExitCodes.OK, gw.exit(), gw.err());
        Run alice = pathsec("pki", "client", "--ca", ca.resolve("ca.cert.pem").toString(), "--name",
                "alice@example.org", "--out", dir.toString());
        assertEquals(ExitCodes.OK, alice.exit(), alice.err());

        for (String key : List.of("ca/ca.key.pem", "vpn.example.net.key.pem", "alice@example.org.key.pem")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))),
                    key);
        }
        // PathSec's own checks: the key belongs to the certificate, the chain reaches the CA.
        TrustStore trust = TrustStore.load(ca.resolve("ca.cert.pem"));
        for (String name : List.of("vpn.example.net", "alice@example.org")) {
            LocalCredential c = LocalCredential.load(dir.resolve(name + ".cert.pem"), dir.resolve(name + ".key.pem"));
            trust.validate(c.certificate(), List.of(), Instant.now(), "test");
        }
        // OpenSSL's, independently.
        for (String name : List.of("vpn.example.net", "alice@example.org")) {
            String v = openssl("openssl", "verify", "-CAfile", ca.resolve("ca.cert.pem").toString(),
                    dir.resolve(name + ".cert.pem").toString());
            assertTrue(v.trim().endsWith(": OK"), v);
        }
        String gwText = openssl("openssl", "x509", "-noout", "-text", "-in",
                dir.resolve("vpn.example.net.cert.pem").toString());
        assertTrue(gwText.contains("DNS:vpn.example.net") && gwText.contains("IP Address:192.0.2.1"), gwText);
        assertTrue(gwText.contains("TLS Web Server Authentication"), gwText);
        assertTrue(gwText.contains("Public-Key: (3072 bit)") && gwText.contains("ecdsa-with-SHA384"),
                "an RSA key signed by the P-384 CA: " + gwText);
        String aliceText = openssl("openssl", "x509", "-noout", "-text", "-in",
                dir.resolve("alice@example.org.cert.pem").toString());
        assertTrue(aliceText.contains("email:alice@example.org") && aliceText.contains("TLS Web Client Authentication"),
                aliceText);
        assertTrue(aliceText.contains("Digital Signature") && aliceText.contains("prime256v1"), aliceText);
        String caText = openssl("openssl", "x509", "-noout", "-text", "-in", ca.resolve("ca.cert.pem").toString());
        assertTrue(caText.contains("CA:TRUE") && caText.contains("Certificate Sign"), caText);
        String key = openssl("openssl", "pkey", "-noout", "-text", "-in", dir.resolve("alice@example.org.key.pem").toString());
        assertTrue(key.contains("Private-Key"), key);
    }

    @Test
    void aProfileFileCarriesThePemFilesInlineForTheDaemon() throws Exception {
        Path ca = dir.resolve("ca");
        assertEquals(ExitCodes.OK, pathsec("pki", "ca", "--out", ca.toString()).exit());
        assertEquals(ExitCodes.OK, pathsec("pki", "client", "--ca", ca.toString(), "--name", "alice@example.org",
                "--out", dir.toString()).exit());
        Path profile = Files.writeString(dir.resolve("office.json"), """
                {"gateway": "vpn.example.net", "auth": "certificate", "localId": "alice@example.org",
                 "cert": "@file:alice@example.org.cert.pem", "key": "@file:alice@example.org.key.pem",
                 "ca": "@file:ca/ca.cert.pem"}
                """);
        com.google.gson.JsonObject config = ProfileFile.read(profile);
        assertEquals(Files.readString(dir.resolve("alice@example.org.key.pem")).strip(), config.get("key").getAsString());
        assertTrue(config.get("cert").getAsString().startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(config.get("ca").getAsString().startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void refusalsSayWhyWithTheirExitCodes() {
        Path ca = dir.resolve("ca");
        assertEquals(ExitCodes.OK, pathsec("pki", "ca", "--out", ca.toString()).exit());
        Run again = pathsec("pki", "ca", "--out", ca.toString());
        assertEquals(ExitCodes.ALREADY_EXISTS, again.exit());
        assertTrue(again.err().contains("does not overwrite"), again.err());

        Run type = pathsec("pki", "client", "--ca", ca.toString(), "--name", "bob@example.org", "--key-type", "dsa",
                "--out", dir.toString());
        assertEquals(ExitCodes.USAGE, type.exit());
        assertTrue(type.err().contains("unknown key type 'dsa'"), type.err());

        Run noCa = pathsec("pki", "gateway", "--ca", dir.resolve("nowhere").toString(), "--name", "vpn.example.net",
                "--out", dir.toString());
        assertEquals(ExitCodes.CONFIG, noCa.exit());
        assertTrue(noCa.err().contains("no such file"), noCa.err());
        Run badIp = pathsec("pki", "gateway", "--ca", ca.toString(), "--name", "vpn.example.net", "--ip", "192.0.2.300",
                "--out", dir.toString());
        assertEquals(ExitCodes.USAGE, badIp.exit(), badIp.err());
        assertTrue(!Files.exists(dir.resolve("vpn.example.net.key.pem")), "nothing written after a refusal");
    }
}
