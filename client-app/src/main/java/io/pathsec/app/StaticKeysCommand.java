package io.pathsec.app;

import io.pathsec.engine.config.IpPrefix;
import io.pathsec.engine.config.StaticConfig;
import io.pathsec.engine.config.StaticConfigGenerator;
import io.pathsec.engine.config.StaticConfigGenerator.Host;
import io.pathsec.engine.policy.AddressRange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code pathsec static-keys pair}: a matching pair of static-key files for two hosts. */
@Command(name = "static-keys", description = "Make static-key configuration files (manual SAs).",
        mixinStandardHelpOptions = true, subcommands = StaticKeysCommand.Pair.class)
final class StaticKeysCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "pair", mixinStandardHelpOptions = true,
            description = {"Generate fresh random keys and write NAME-A.json and NAME-B.json (mode 0600) into --out:",
                    "A's outbound SA is B's inbound SA and back; policies and routes mirror each other."})
    static final class Pair implements Callable<Integer> {
        @Option(names = "--a-name", required = true, paramLabel = "NAME") String aName;
        @Option(names = "--a-outer", required = true, paramLabel = "ADDRESS",
                description = "A's outer (unprotected) address, where B reaches it") String aOuter;
        @Option(names = "--a-protected", split = ",", paramLabel = "PREFIX",
                description = "networks behind A (tunnel mode), e.g. 192.0.2.0/24") List<String> aProtected = new ArrayList<>();
        @Option(names = "--a-tun-address", split = ",", paramLabel = "PREFIX",
                description = "addresses of A's TUN device (a road warrior's inner address)") List<String> aTun = new ArrayList<>();
        @Option(names = "--b-name", required = true, paramLabel = "NAME") String bName;
        @Option(names = "--b-outer", required = true, paramLabel = "ADDRESS") String bOuter;
        @Option(names = "--b-protected", split = ",", paramLabel = "PREFIX") List<String> bProtected = new ArrayList<>();
        @Option(names = "--b-tun-address", split = ",", paramLabel = "PREFIX") List<String> bTun = new ArrayList<>();
        @Option(names = "--mode", defaultValue = "tunnel", paramLabel = "tunnel|transport") String mode;
        @Option(names = "--transform", defaultValue = "aes256gcm16", paramLabel = "NAME",
                description = "aes128gcm16, aes256gcm16, chacha20poly1305, aes128-sha256, aes256-sha256 (default: ${DEFAULT-VALUE})")
        String transform;
        @Option(names = "--port", defaultValue = "4500", description = "UDP port of both ends (default: ${DEFAULT-VALUE})") int port;
        @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
                description = "crypto worker threads per host; 0 runs crypto on the I/O threads (default: ${DEFAULT-VALUE})")
        int workers;
        @Option(names = "--out", required = true, paramLabel = "DIR") Path out;

        @Override
        public Integer call() throws IOException {
            Host a;
            Host b;
            try {
                a = host(aName, aOuter, aTun, aProtected);
                b = host(bName, bOuter, bTun, bProtected);
            } catch (IllegalArgumentException e) {
                System.err.println("pathsec static-keys pair: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            StaticConfigGenerator.ConfigPair pair = StaticConfigGenerator.pair(a, b, LabCommand.parseMode(mode),
                    transform, new SecureRandom());
            Files.createDirectories(out);
            write(pair.first().withWorkers(workers));
            write(pair.second().withWorkers(workers));
            return ExitCodes.OK;
        }

        private Host host(String name, String outer, List<String> tun, List<String> protectedNetworks) {
            return new Host(name, new InetSocketAddress(AddressRange.parseAddress(outer), port),
                    tun.stream().map(IpPrefix::parse).toList(),
                    protectedNetworks.stream().map(IpPrefix::parse).toList());
        }

        private void write(StaticConfig config) throws IOException {
            Path file = out.resolve(config.name() + ".json");
            StaticConfigGenerator.write(file, config);
            System.out.println("wrote " + file + " (secret: keep it 0600)");
        }
    }
}
