package io.pathsec.app;

import io.pathsec.engine.ike.auth.CertificateIdentity;
import io.pathsec.engine.ike.auth.CredentialException;
import io.pathsec.engine.pki.CertificateIssuer;
import io.pathsec.engine.pki.IssuedCertificate;
import io.pathsec.engine.pki.KeyType;
import io.pathsec.engine.pki.PkiFiles;
import io.pathsec.engine.policy.AddressRange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pathsec pki ca|gateway|client}: the certificates of an IKEv2 deployment, without other
 * tools. Each writes NAME.cert.pem and NAME.key.pem (PKCS#8, mode 0600) and never overwrites.
 */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = {"Make a CA, gateway and client certificates for IKEv2 certificate authentication.",
                "Files: NAME.cert.pem and NAME.key.pem (private key, mode 0600); existing files are never overwritten.",
                "See docs/certificates.md."},
        subcommands = {PkiCommand.Ca.class, PkiCommand.Gateway.class, PkiCommand.Client.class})
final class PkiCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Options every subcommand has. */
    static final class Common {
        @Option(names = "--key-type", defaultValue = "ecdsa-p256", paramLabel = "TYPE",
                description = "ecdsa-p256, ecdsa-p384 or rsa-3072 (default: ${DEFAULT-VALUE})")
        String keyType;
        @Option(names = "--out", defaultValue = ".", paramLabel = "DIR",
                description = "directory for the files (default: the current one)")
        Path out;
    }

    /**
     * What gateway and client certificates share: the CA to sign with (a directory from {@code pki
     * ca}, or its certificate file and key) and their validity.
     */
    static final class EndEntity {
        @Option(names = "--ca", required = true, paramLabel = "DIR|CERT",
                description = "the CA: the directory 'pathsec pki ca' wrote (ca.cert.pem, ca.key.pem),"
                        + " or the CA certificate file")
        Path ca;
        @Option(names = "--ca-key", paramLabel = "KEY",
                description = "the CA's private key (default: ca.key.pem beside the certificate,"
                        + " or X.key.pem for X.cert.pem)")
        Path caKey;

        IssuedCertificate load() throws CredentialException {
            Path cert = Files.isDirectory(ca) ? ca.resolve("ca.cert.pem") : ca;
            Path key = caKey != null ? caKey : Files.isDirectory(ca) ? ca.resolve("ca.key.pem")
                    : cert.resolveSibling(cert.getFileName().toString().replaceFirst("(\\.cert)?\\.pem$", "") + ".key.pem");
            return PkiFiles.read(new PkiFiles.Pair(cert, key));
        }

        @Option(names = "--days", defaultValue = "825", paramLabel = "N",
                description = "validity in days (default: ${DEFAULT-VALUE})")
        long days;

        Duration validity() {
            return Duration.ofDays(days);
        }
    }

    @Command(name = "ca", mixinStandardHelpOptions = true,
            description = "Make a self-signed CA: ca.cert.pem (give it to every peer as its trust store) and ca.key.pem.")
    static final class Ca implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Common common;
        @Option(names = "--name", defaultValue = "PathSec CA", paramLabel = "NAME",
                description = "the CA's common name (default: ${DEFAULT-VALUE})")
        String name;
        @Option(names = "--days", defaultValue = "3650", paramLabel = "N",
                description = "validity in days (default: ${DEFAULT-VALUE})")
        long days;

        @Override
        public Integer call() {
            return run(common, "ca", () -> new CertificateIssuer().certificateAuthority(name,
                    KeyType.fromCliName(common.keyType), Duration.ofDays(days)));
        }
    }

    @Command(name = "gateway", mixinStandardHelpOptions = true,
            description = {"Make a gateway certificate signed by the CA: subject CN=NAME, subjectAltName DNS:NAME",
                    "and IP:ADDRESS for each --ip, extended key usage serverAuth and ipsecIKE."})
    static final class Gateway implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Common common;
        @picocli.CommandLine.Mixin
        EndEntity issuer;
        @Option(names = "--name", required = true, paramLabel = "FQDN",
                description = "the gateway's DNS name, also its IKE identity (localId), e.g. vpn.example.net")
        String name;
        @Option(names = "--ip", split = ",", paramLabel = "ADDRESS",
                description = "the gateway's addresses, for clients that identify it by address")
        List<String> ips = new ArrayList<>();

        @Override
        public Integer call() {
            return run(common, name, () -> {
                List<InetAddress> addresses = new ArrayList<>();
                for (String ip : ips) {
                    addresses.add(AddressRange.parseAddress(ip.trim()));
                }
                return new CertificateIssuer().gateway(issuer.load(), name, addresses,
                        KeyType.fromCliName(common.keyType), issuer.validity());
            });
        }
    }

    @Command(name = "client", mixinStandardHelpOptions = true,
            description = {"Make a client certificate signed by the CA: subject CN=NAME, subjectAltName",
                    "email:NAME (or DNS:NAME for a host name), extended key usage clientAuth and ipsecIKE."})
    static final class Client implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Common common;
        @picocli.CommandLine.Mixin
        EndEntity issuer;
        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "the client's IKE identity (localId), e.g. alice@example.org")
        String name;

        @Override
        public Integer call() {
            return run(common, name, () -> new CertificateIssuer().client(issuer.load(), name,
                    KeyType.fromCliName(common.keyType), issuer.validity()));
        }
    }

    /** Makes a certificate. */
    interface Make {
        IssuedCertificate make() throws CredentialException;
    }

    /** Makes, writes and reports; every failure is one line with an exit code that tells its kind. */
    static int run(Common common, String name, Make make) {
        String base = name.replaceAll("[^A-Za-z0-9._@-]", "_");
        PkiFiles.Pair files = PkiFiles.Pair.in(common.out, base);
        try {
            if (Files.exists(files.certificate()) || Files.exists(files.key())) {
                throw new FileAlreadyExistsException(files.certificate() + " or " + files.key()
                        + " exists; PathSec does not overwrite keys or certificates");
            }
            IssuedCertificate issued = make.make();
            PkiFiles.write(files, issued);
            System.out.println("wrote " + files.certificate() + " and " + files.key() + " (private key, mode 0600)");
            System.out.println("  " + CertificateIdentity.describe(issued.certificate()) + ", "
                    + common.keyType + ", issued by \"" + issued.certificate().getIssuerX500Principal().getName()
                    + "\", valid until " + issued.certificate().getNotAfter().toInstant());
            return ExitCodes.OK;
        } catch (FileAlreadyExistsException e) {
            System.err.println("pathsec pki: " + e.getMessage());
            return ExitCodes.ALREADY_EXISTS;
        } catch (CredentialException e) {
            System.err.println("pathsec pki: the CA cannot be used: " + e.getMessage());
            return ExitCodes.CONFIG;
        } catch (IllegalArgumentException e) {
            System.err.println("pathsec pki: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (IOException e) {
            System.err.println("pathsec pki: cannot write into " + common.out + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }
}
