package io.pathsec.engine.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A strongSwan 5.9 charon (userspace kernel-libipsec ESP) running as an IKEv2 road-warrior
 * gateway or client in a given network namespace, for interoperability tests. As {@code peers/strongswan.sh}
 * does, it gets its own mount namespace with a private /run (charon.pid), a per-instance
 * strongswan.conf and a vici socket in its directory, so several can run side by side.
 *
 * <p>The daemon is ended by its PID ({@code ip netns exec}, {@code unshare} and {@code sh} all
 * exec, so the PID we start is charon's), never by name; {@link #close()} always does it.
 */
public final class StrongSwanPeer implements AutoCloseable {
    private static final String CHARON = "/usr/lib/ipsec/charon";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    /**
     * The gateway's settings, mirroring strongswan.sh's gw config; the rekey and DPD times are
     * swanctl.conf durations ("4h", "20s"); {@code localTs} may list several subnets separated by
     * commas; {@code pool6} is an IPv6 pool beside the IPv4 one (null for none);
     * {@code fragmentation} is swanctl's IKE fragmentation setting (yes, accept, force, no).
     */
    public record Gateway(String localAddress, String gatewayId, String psk, String ikeProposals,
                          String espProposals, String pool, String localTs, String ikeRekeyTime,
                          String childRekeyTime, String dpdDelay, String pool6, String fragmentation) {
        public static Gateway defaults(String localAddress) {
            return new Gateway(localAddress, "gw.sw.test", "sw-interop-test-psk-0123456789",
                    "aes256gcm16-prfsha256-x25519", "aes256gcm16", "10.200.0.0/24", "203.0.113.0/24", "4h", "1h",
                    "30s", null, "yes");
        }

        public Gateway withIkeProposals(String proposals) {
            return new Gateway(localAddress, gatewayId, psk, proposals, espProposals, pool, localTs, ikeRekeyTime,
                    childRekeyTime, dpdDelay, pool6, fragmentation);
        }

        public Gateway withEspProposals(String proposals) {
            return new Gateway(localAddress, gatewayId, psk, ikeProposals, proposals, pool, localTs, ikeRekeyTime,
                    childRekeyTime, dpdDelay, pool6, fragmentation);
        }

        /** strongswan.sh's IKE_REKEY and CHILD_REKEY. */
        public Gateway withRekeyTimes(String ike, String child) {
            return new Gateway(localAddress, gatewayId, psk, ikeProposals, espProposals, pool, localTs, ike, child,
                    dpdDelay, pool6, fragmentation);
        }

        public Gateway withLocalTs(String ts) {
            return new Gateway(localAddress, gatewayId, psk, ikeProposals, espProposals, pool, ts, ikeRekeyTime,
                    childRekeyTime, dpdDelay, pool6, fragmentation);
        }

        public Gateway withPool6(String prefix) {
            return new Gateway(localAddress, gatewayId, psk, ikeProposals, espProposals, pool, localTs, ikeRekeyTime,
                    childRekeyTime, dpdDelay, prefix, fragmentation);
        }

        public Gateway withFragmentation(String setting) {
            return new Gateway(localAddress, gatewayId, psk, ikeProposals, espProposals, pool, localTs, ikeRekeyTime,
                    childRekeyTime, dpdDelay, pool6, setting);
        }
    }

    /**
     * The client's settings, mirroring strongswan.sh's client config ({@code home}: asks for a
     * virtual IP); {@code vips} is swanctl's list ({@code 0.0.0.0}, or {@code 0.0.0.0,::} for an
     * IPv6 address too), {@code fragmentation} its IKE fragmentation setting.
     */
    public record Client(String gatewayAddress, String clientId, String gatewayId, String psk, String ikeProposals,
                         String espProposals, String remoteTs, String vips, String fragmentation) {
        public static Client defaults(String gatewayAddress, String gatewayId, String psk, String remoteTs) {
            return new Client(gatewayAddress, "client.sw.test", gatewayId, psk, "aes256gcm16-prfsha256-x25519",
                    "aes256gcm16", remoteTs, "0.0.0.0", "yes");
        }

        public Client withEspProposals(String proposals) {
            return new Client(gatewayAddress, clientId, gatewayId, psk, ikeProposals, proposals, remoteTs, vips,
                    fragmentation);
        }

        public Client withVips(String list) {
            return new Client(gatewayAddress, clientId, gatewayId, psk, ikeProposals, espProposals, remoteTs, list,
                    fragmentation);
        }
    }

    /**
     * Certificate authentication ({@code auth = pubkey}) instead of the PSK: our certificate, its
     * key and the CA we trust (PEM files, e.g. written by {@code pathsec pki}) are copied into
     * swanctl's {@code x509}, {@code private} and {@code x509ca} directories; {@code localId}
     * and {@code remoteId} replace the PSK configuration's identities ({@code %any} accepts any
     * identity its certificate names).
     */
    public record Certificates(Path certificate, Path key, Path ca, String localId, String remoteId) {
    }

    private final Path dir;
    private final Process process;

    private StrongSwanPeer(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Writes the configuration into {@code dir}, starts charon in {@code netns} and loads it. */
    public static StrongSwanPeer startGateway(String netns, Path dir, Gateway gw) throws IOException {
        return start(netns, dir, swanctlConf(gw, null));
    }

    /** A gateway that authenticates with a certificate and checks its clients' certificates. */
    public static StrongSwanPeer startGateway(String netns, Path dir, Gateway gw, Certificates certs)
            throws IOException {
        installCertificates(dir, certs);
        return start(netns, dir, swanctlConf(gw, certs));
    }

    /** A client that authenticates with a certificate and checks the gateway's. */
    public static StrongSwanPeer startClient(String netns, Path dir, Client client, Certificates certs)
            throws IOException {
        installCertificates(dir, certs);
        return start(netns, dir, swanctlConf(client, certs));
    }

    private static void installCertificates(Path dir, Certificates certs) throws IOException {
        for (String sub : List.of("x509", "x509ca", "private")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.copy(certs.certificate(), dir.resolve("x509/own.pem"));
        Files.copy(certs.ca(), dir.resolve("x509ca/ca.pem"));
        Files.copy(certs.key(), dir.resolve("private/own.pem"));
    }

    /** The local and remote sections: PSK with the given identities, or pubkey with {@code certs}. */
    private static String authSections(String localId, String remoteId, Certificates certs) {
        if (certs == null) {
            return """
                    local {
                      auth = psk
                      id = %s
                    }
                    remote {
                      auth = psk
                      id = %s
                    }
                """.formatted(localId, remoteId);
        }
        return """
                    local {
                      auth = pubkey
                      certs = own.pem
                      id = %s
                    }
                    remote {
                      auth = pubkey
                      id = %s
                    }
                """.formatted(certs.localId(), certs.remoteId());
    }

    private static String pskSecret(String psk, Certificates certs) {
        return certs != null ? "" : """
                secrets {
                  ike-any {
                    secret = "%s"
                  }
                }
                """.formatted(psk);
    }

    /**
     * Writes a client configuration (connection and child {@code home}, {@code vips = 0.0.0.0})
     * into {@code dir} and starts charon in {@code netns}; {@link #initiate()} connects.
     */
    public static StrongSwanPeer startClient(String netns, Path dir, Client client) throws IOException {
        return start(netns, dir, swanctlConf(client, null));
    }

    /** {@code swanctl --initiate --child home}: returns when the CHILD_SA is up, throws when it failed. */
    public String initiate() throws IOException {
        return swanctl("--initiate", "--child", "home", "--timeout", "20");
    }

    private static StrongSwanPeer start(String netns, Path dir, String swanctlConf) throws IOException {
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(dir.resolve("strongswan.conf"), strongswanConf(dir), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("swanctl.conf"), swanctlConf, StandardCharsets.UTF_8);
        Files.deleteIfExists(dir.resolve("charon.vici"));
        Files.createDirectories(dir.resolve("x509")); // swanctl --load-all reads its credential folders (SWANCTL_DIR)
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", netns, "unshare", "-m", "--propagation", "private",
                "sh", "-c", "mount --bind '" + dir.resolve("run") + "' /run && exec " + CHARON)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("charon.stdout").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString());
        StrongSwanPeer peer = new StrongSwanPeer(dir, pb.start());
        try {
            peer.awaitVici();
            peer.swanctl("--load-all", "--file", dir.resolve("swanctl.conf").toString());
            return peer;
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    private void awaitVici() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(dir.resolve("charon.vici"))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("charon did not come up: " + tail(dir.resolve("charon.stdout")) + "\n" + log());
            }
            pause();
        }
    }

    /** Runs swanctl against this instance ({@code --uri} of its vici socket) and returns its output. */
    public String swanctl(String command, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("swanctl", command, "--uri", "unix://" + dir.resolve("charon.vici")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString());
        pb.environment().put("SWANCTL_DIR", dir.toString());
        Process p = pb.start();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("swanctl " + command + " timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("swanctl " + command + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    /** charon's log file so far. */
    public String log() {
        try {
            Path log = dir.resolve("charon.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read charon.log: " + e.getMessage() + ")";
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** SIGTERM to charon's PID, a bounded wait, then SIGKILL. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String strongswanConf(Path d) {
        return """
                charon {
                  load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey kdf kernel-libipsec kernel-netlink socket-default vici
                  install_routes = yes
                  install_virtual_ip = yes
                  filelog {
                    main {
                      path = %1$s/charon.log
                      append = no
                      time_format = %%H:%%M:%%S
                      flush_line = yes
                      default = 1
                      ike = 2
                      cfg = 1
                      net = 1
                    }
                  }
                  syslog {
                    identifier = charon-pathsec-test
                    daemon {
                      default = -1
                    }
                  }
                  plugins {
                    vici {
                      socket = unix://%1$s/charon.vici
                    }
                  }
                }
                swanctl {
                  load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey
                }
                """.formatted(d);
    }

    private static String swanctlConf(Gateway gw, Certificates certs) {
        return """
                connections {
                  rw {
                    version = 2
                    local_addrs = %s
                    proposals = %s
                    pools = %s
                    unique = replace
                    fragmentation = %s
                    rekey_time = %s
                    dpd_delay = %s
                %s
                    children {
                      lan {
                        local_ts = %s
                        esp_proposals = %s
                        mode = tunnel
                        rekey_time = %s
                        dpd_action = clear
                      }
                    }
                  }
                }
                pools {
                  rwpool {
                    addrs = %s
                  }%s
                }
                %s
                """.formatted(gw.localAddress(), gw.ikeProposals(), gw.pool6() == null ? "rwpool" : "rwpool, rwpool6",
                gw.fragmentation(), gw.ikeRekeyTime(), gw.dpdDelay(), authSections(gw.gatewayId(), "%any", certs),
                gw.localTs(), gw.espProposals(), gw.childRekeyTime(), gw.pool(), gw.pool6() == null ? ""
                        : "\n      rwpool6 {\n        addrs = " + gw.pool6() + "\n      }", pskSecret(gw.psk(), certs));
    }

    private static String swanctlConf(Client c, Certificates certs) {
        return """
                connections {
                  home {
                    version = 2
                    remote_addrs = %s
                    vips = %s
                    proposals = %s
                    dpd_delay = 0s
                    fragmentation = %s
                %s
                    children {
                      home {
                        remote_ts = %s
                        esp_proposals = %s
                        mode = tunnel
                        start_action = none
                      }
                    }
                  }
                }
                %s
                """.formatted(c.gatewayAddress(), c.vips(), c.ikeProposals(), c.fragmentation(),
                authSections(c.clientId(), c.gatewayId(), certs), c.remoteTs(), c.espProposals(),
                pskSecret(c.psk(), certs));
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50); // polling for a file another process creates; bounded by the caller's deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
