package io.pathsec.engine.gateway;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.tunnel.IkeTunnelService;
import io.pathsec.engine.icmp.IcmpProfileFile;
import io.pathsec.engine.icmp.IcmpSettings;
import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.session.IkeSessionTimers;
import io.pathsec.engine.ike.session.IkeSuite;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuStatus;
import io.pathsec.engine.pmtu.tcpmss.TcpMssSettings;
import io.pathsec.engine.tunnel.IkeProfileAuth;
import io.pathsec.engine.tunnel.ShutdownSignal;
import io.pathsec.engine.tunnel.StaticTunnelService;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one IKEv2 gateway in the foreground until SIGTERM, writing an {@link IkeGatewayStatus} to
 * a file every second (what the lab and the integration tests watch).
 *
 * <pre>
 *   java … io.pathsec.engine.gateway.IkeGatewayService PROFILE.json STATUS.json
 * </pre>
 * The profile is JSON: {@code name, tun, mtu, listen, localId, psk (or auth "certificate" with cert, key
 * and ca, PEM files; localId then defaults to the certificate's subject), pool (optional prefix),
 * protectedSubnets (prefixes), trafficSelectors (optional: narrow TSr such as {@code "10.2.0.0/24 tcp 5201"},
 * each within a protected subnet), dns (optional), dhGroups (optional), esp (optional),
 * allowTransportMode (optional, false), cookieThreshold (optional, 32), and the timers
 * ikeRekeySeconds, childRekeySeconds, dpdDelaySeconds, retransmitInitialMillis, retransmitSends
 * (optional; strongSwan's defaults, 0 turns a timer off)}, {@code tcpMss} (false stops answering
 * the TCP-MSS method, which is on: its port opens only while a PathSec peer's IKE SA waits for
 * it) and {@code tcpMssPort} (4500), and an optional {@code pmtu} object (methods, floor, timers,
 * fixed MTU, outer DF: the engine's {@code PmtuProfileFile}); the gateway probes each client with
 * DPLPMTUD unless its methods leave {@code dplpmtud} out. An optional {@code icmp} object sets the
 * ICMP handling (handling, unprotectedSide, protectedSide, logging, probeOnDiscard, queueLimit:
 * {@link IcmpProfileFile}); what it leaves out comes from the {@code pathsec.icmp.*} properties.
 */
public final class IkeGatewayService {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** The profile file as written. */
    static final class ProfileFile {
        String name = "gw";
        String tun = "psgw%d";
        int mtu = 1400;
        String listen;
        String localId;
        String psk;
        /** "psk" (default) or "certificate". */
        String auth;
        String cert;
        String key;
        String ca;
        String pool;
        List<String> protectedSubnets;
        List<String> dns;
        List<String> dhGroups;
        List<String> esp;
        boolean allowTransportMode;
        int cookieThreshold = 32;
        Long ikeRekeySeconds;
        Long childRekeySeconds;
        Long dpdDelaySeconds;
        Long retransmitInitialMillis;
        Integer retransmitSends;
        /** The TCP-MSS method: answered unless false (the port opens only for PathSec peers); its port (4500). */
        Boolean tcpMss;
        Integer tcpMssPort;
        /** Path MTU settings towards the clients (the engine's {@code PmtuProfileFile}). */
        io.pathsec.engine.tunnel.PmtuProfileFile pmtu;
        /** RFC 7383: false stops accepting IKE fragmentation (default true). */
        Boolean ikeFragmentation;
        /** Largest IP datagram an IKE fragment fills; 0 or absent: from the path MTU, else 576/1280. */
        Integer ikeFragmentSize;
        /** IPv6 prefix of virtual addresses beside {@code pool} (INTERNAL_IP6_ADDRESS), optional. */
        String pool6;
        /** ICMP handling (docs/icmp.md): option, §6.1.1/§6.1.2 tables, logging; pathsec.icmp.* fills the rest. */
        io.pathsec.engine.icmp.IcmpProfileFile icmp;
        /** Narrow TSr, e.g. "10.2.0.0/24 tcp 5201" (TrafficSelectorText), optional: whole subnets otherwise. */
        List<String> trafficSelectors;

        IkeSessionTimers timers() {
            IkeSessionTimers d = IkeSessionTimers.DEFAULT;
            Duration ike = ikeRekeySeconds == null ? d.ikeRekeyTime() : Duration.ofSeconds(ikeRekeySeconds);
            Duration child = childRekeySeconds == null ? d.childRekeyTime() : Duration.ofSeconds(childRekeySeconds);
            Duration shortest = d.ikeRekeyTime();
            for (Duration x : List.of(ike, child)) {
                if (!x.isZero() && x.compareTo(shortest) < 0) {
                    shortest = x;
                }
            }
            // Jitter (§2.8.1 asks for it against simultaneous rekeys): a tenth of the shortest time.
            return d.withRekey(ike, child, shortest.dividedBy(10)).withDpd(
                    dpdDelaySeconds == null ? d.dpdDelay() : Duration.ofSeconds(dpdDelaySeconds),
                    retransmitInitialMillis == null ? d.retransmitInitial() : Duration.ofMillis(retransmitInitialMillis),
                    retransmitSends == null ? d.retransmitSends() : retransmitSends);
        }

        IkeGatewayProfile toProfile() {
            if (listen == null || protectedSubnets == null) {
                throw new IllegalArgumentException("a gateway profile needs listen and protectedSubnets");
            }
            IkeProfileAuth authentication = IkeProfileAuth.fromProfileFile(auth, psk, cert, key, ca, localId);
            List<DhGroup> groups = new ArrayList<>();
            for (String g : dhGroups == null ? List.<String>of() : dhGroups) {
                try {
                    groups.add(DhGroup.valueOf(g.trim().toUpperCase()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown Diffie-Hellman group '" + g + "'", e);
                }
            }
            IkeSuite suite = groups.isEmpty() ? IkeSuite.DEFAULT : new IkeSuite(IkeSuite.DEFAULT.encryption(),
                    IkeSuite.DEFAULT.keyLengthBits(), IkeSuite.DEFAULT.integrity(), IkeSuite.DEFAULT.prf(), groups);
            List<EspTransform> transforms = esp == null || esp.isEmpty() ? List.of(EspTransform.AES_GCM_16_256)
                    : esp.stream().map(EspTransform::fromName).toList();
            List<InetAddress> servers = new ArrayList<>();
            for (String d : dns == null ? List.<String>of() : dns) {
                servers.add(AddressRange.parseAddress(d));
            }
            return new IkeGatewayProfile(name, tun, mtu, AddressRange.parseAddress(listen),
                    authentication.localIdentity(), authentication.authenticator(), List.of(suite), transforms, pool,
                    protectedSubnets, servers, allowTransportMode, cookieThreshold, timers(),
                    IkeTunnelService.fragmentation(ikeFragmentation, ikeFragmentSize), pool6, trafficSelectors);
        }
    }

    private IkeGatewayService() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: IkeGatewayService PROFILE.json STATUS.json");
            System.exit(2);
        }
        IkeGatewayProfile profile;
        TcpMssSettings tcpMss;
        PmtuSettings pmtu;
        IcmpSettings icmp;
        try {
            String json = Files.readString(Path.of(args[0]));
            profile = parse(json);
            tcpMss = tcpMssSettings(json);
            pmtu = io.pathsec.engine.tunnel.PmtuProfileFile.apply(GSON.fromJson(json, ProfileFile.class).pmtu,
                    PmtuSettings.fromProperties(System.getProperties()));
            icmp = icmpSettings(json);
        } catch (IOException | JsonParseException | IllegalArgumentException e) {
            System.err.println("bad gateway profile " + args[0] + ": " + e.getMessage());
            System.exit(78);
            return;
        }
        run(profile, tcpMss, pmtu, icmp, Path.of(args[1]));
    }

    /** The profile's {@code icmp} object over the {@code pathsec.icmp.*} properties (the fallback). */
    static IcmpSettings icmpSettings(String json) {
        return IcmpProfileFile.apply(GSON.fromJson(json, ProfileFile.class).icmp,
                IcmpSettings.fromProperties(System.getProperties()));
    }

    /** The TCP-MSS settings of a profile file: on unless {@code tcpMss} is false, port 4500 unless set. */
    static TcpMssSettings tcpMssSettings(String json) {
        ProfileFile file = GSON.fromJson(json, ProfileFile.class);
        return TcpMssSettings.fromProfile(file.tcpMss, file.tcpMssPort, true);
    }

    /** Parses and validates a profile; errors name the field in words. */
    static IkeGatewayProfile parse(String json) {
        ProfileFile file = GSON.fromJson(json, ProfileFile.class);
        if (file == null) {
            throw new IllegalArgumentException("the profile is empty");
        }
        return file.toProfile();
    }

    static void run(IkeGatewayProfile profile, TcpMssSettings tcpMss, PmtuSettings pmtu, Path statusFile)
            throws IOException, InterruptedException {
        run(profile, tcpMss, pmtu, IcmpSettings.fromProperties(System.getProperties()), statusFile);
    }

    static void run(IkeGatewayProfile profile, TcpMssSettings tcpMss, PmtuSettings pmtu, IcmpSettings icmp,
                    Path statusFile) throws IOException, InterruptedException {
        try (ShutdownSignal signal = ShutdownSignal.install(8);
             IkeGateway gateway = IkeGateway.start(profile, tcpMss, pmtu, icmp, IkeGateway.ClientListener.NONE)) {
            do {
                StaticTunnelService.writeAtomically(statusFile, GSON.toJson(status(gateway, "LISTENING")));
            } while (!signal.awaitStop(1000));
            StaticTunnelService.writeAtomically(statusFile, GSON.toJson(status(gateway, "STOPPED")));
        }
    }

    static IkeGatewayStatus status(IkeGateway gateway, String state) {
        IkeGatewayStatus s = new IkeGatewayStatus();
        s.state = state;
        s.device = gateway.deviceName();
        s.listen = gateway.profile().listenAddress().getHostAddress();
        s.ikeSas = gateway.ikeSaCount();
        long[] cookies = gateway.cookieCounters();
        s.halfOpen = cookies[0];
        s.cookiesSent = cookies[1];
        s.natKeepalives = gateway.natKeepalivesReceived();
        s.recentFailures.addAll(gateway.recentFailures());
        s.icmpDecisions.putAll(gateway.icmpDecisions());
        for (IkeGateway.Client c : gateway.clients()) {
            IkeGatewayStatus.ClientStatus cs = new IkeGatewayStatus.ClientStatus();
            cs.identity = c.identity();
            cs.peer = c.peer().toString();
            cs.virtualIp = c.virtualIp();
            cs.virtualIp6 = c.virtualIp6();
            cs.childSa = c.childSa();
            cs.mode = c.mode();
            cs.speaksPathSec = c.speaksPathSec();
            for (SecurityAssociation sa : c.sas()) {
                cs.securityAssociations.add(sa + " packets " + sa.packets());
            }
            cs.pmtu = c.pmtu().stream().map(PmtuStatus::of).toList();
            s.clients.add(cs);
        }
        s.tcpMss = gateway.tcpMssStats().counts();
        return s;
    }
}
