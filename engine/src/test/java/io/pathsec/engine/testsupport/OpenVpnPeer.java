package io.pathsec.engine.testsupport;

import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabTopology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * OpenVPN 2.6 as the reference peer on the lab topology, set up as ../shared/peers/openvpn.sh
 * sets it up on its own: TLS with a throw-away ECDSA P-256 PKI made by openssl, AES-256-GCM data
 * channel, UDP, tun, DCO off (pure userspace, like strongSwan's libipsec); the server in G2
 * pushes a route to {@code pushedNetwork}, the client in G1. Both are ended by PID.
 */
public final class OpenVpnPeer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String SUBNET = "10.200.1.0";

    private final Process server;
    private final Process client;

    private OpenVpnPeer(Process server, Process client) {
        this.server = server;
        this.client = client;
    }

    /** Starts the server in G2 and the client in G1; returns once the client's tunnel is up. */
    public static OpenVpnPeer start(LabTopology lab, Path dir, String pushedNetwork) throws IOException {
        Path pki = dir.resolve("pki");
        Files.createDirectories(pki);
        makePki(pki);
        String server = lab.outerAddress(LabNode.G2, false).getHostAddress();
        Path serverConf = dir.resolve("server.conf");
        Path clientConf = dir.resolve("client.conf");
        String prefix = pushedNetwork.substring(0, pushedNetwork.indexOf('/'));
        int bits = Integer.parseInt(pushedNetwork.substring(pushedNetwork.indexOf('/') + 1));
        Files.writeString(serverConf, common(pki) + String.join("\n", "mode server", "tls-server", "local " + server,
                "port 1194", "server " + SUBNET + " 255.255.255.0",
                "push \"route " + prefix + " " + netmask(bits) + "\"", "cert " + pki.resolve("server.crt"),
                "key " + pki.resolve("server.key"), "dh none", ""), StandardCharsets.UTF_8);
        Files.writeString(clientConf, common(pki) + String.join("\n", "client", "remote " + server + " 1194", "nobind",
                "cert " + pki.resolve("client.crt"), "key " + pki.resolve("client.key"), "remote-cert-tls server",
                "verify-x509-name gw.ovpn.test name", ""), StandardCharsets.UTF_8);
        Path serverLog = dir.resolve("server.log");
        Path clientLog = dir.resolve("client.log");
        Process s = lab.start(LabNode.G2, List.of("openvpn", "--config", serverConf.toString()), serverLog);
        Process c = null;
        try {
            c = lab.start(LabNode.G1, List.of("openvpn", "--config", clientConf.toString()), clientLog);
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!Files.readString(clientLog).contains("Initialization Sequence Completed")) {
                if (System.nanoTime() > deadline || !c.isAlive() || !s.isAlive()) {
                    throw new IOException("OpenVPN did not connect:\n" + Files.readString(clientLog) + "\n"
                            + Files.readString(serverLog));
                }
                Thread.sleep(100); // polling a log another process writes; bounded by the deadline
            }
            return new OpenVpnPeer(s, c);
        } catch (IOException | RuntimeException | InterruptedException e) {
            end(c);
            end(s);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    private static String common(Path pki) {
        return String.join("\n", "dev tun", "dev-type tun", "proto udp", "topology subnet", "ca " + pki.resolve("ca.crt"),
                "data-ciphers AES-256-GCM", "tls-version-min 1.2", "disable-dco", "keepalive 10 60", "verb 3", "");
    }

    private static String netmask(int bits) {
        long mask = bits == 0 ? 0 : 0xffffffffL << (32 - bits) & 0xffffffffL;
        return (mask >> 24) + "." + (mask >> 16 & 0xff) + "." + (mask >> 8 & 0xff) + "." + (mask & 0xff);
    }

    private static void makePki(Path pki) throws IOException {
        String ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
        sh(pki, "openssl req -x509 " + ec + " -keyout ca.key -out ca.crt -days 30 -subj /CN=ovpn-test-ca"
                + " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
        for (String who : List.of("server", "client")) {
            String cn = who.equals("server") ? "gw.ovpn.test" : "client.ovpn.test";
            String eku = who.equals("server") ? "serverAuth" : "clientAuth";
            sh(pki, "openssl req " + ec + " -keyout " + who + ".key -out " + who + ".csr -subj /CN=" + cn);
            Files.writeString(pki.resolve(who + ".ext"), "basicConstraints=CA:FALSE\n"
                    + "keyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=" + eku + "\n");
            sh(pki, "openssl x509 -req -in " + who + ".csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30"
                    + " -extfile " + who + ".ext -out " + who + ".crt");
        }
    }

    private static void sh(Path dir, String command) throws IOException {
        Process p = new ProcessBuilder(command.split(" ")).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("failed: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command);
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within five seconds. */
    private static void end(Process p) {
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        end(client);
        end(server);
    }
}
