package io.pathsec.engine.tunnel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.icmp.IcmpSettings;
import io.pathsec.engine.ike.fragment.IkeFragmentPolicy;
import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.session.ChildSaModeRequest;
import io.pathsec.engine.ike.session.IkeIdentity;
import io.pathsec.engine.ike.session.IkeSessionException;
import io.pathsec.engine.ike.session.IkeSessionListener;
import io.pathsec.engine.ike.session.IkeSessionTimers;
import io.pathsec.engine.ike.session.IkeSuite;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuStatus;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.pmtu.tcpmss.TcpMssSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Runs one IKEv2 road-warrior tunnel in the foreground until SIGTERM, writing an {@link IkeTunnelStatus}
 * to a file every second (what the lab and the integration tests watch).
 *
 * <pre>
 *   java … io.pathsec.engine.tunnel.IkeTunnelService PROFILE.json STATUS.json
 * </pre>
 * The profile is JSON: {@code name, tun, mtu, local, gateway, localId, remoteId (optional), psk, or
 * auth "certificate" with cert, key and ca (PEM files; localId then defaults to the certificate's subject),
 * dhGroups (optional, e.g. ["CURVE25519","ECP_256"]), esp (optional, e.g. ["aes256gcm16"]),
 * remoteTs (optional prefixes), trafficSelectors (optional narrow TSr such as {@code "10.2.0.0/24 udp 5001"}), and the optional timers {@code ikeRekeySeconds, childRekeySeconds,
 * rekeyJitterSeconds, dpdDelaySeconds, retransmitInitialMillis, retransmitSends} (0 turns a
 * rekey or DPD off; defaults as strongSwan's: 4 h, 1 h, 10 %, 30 s, 1000 ms, 6)}.
 * {@code tcpMss} (true turns the TCP-MSS method on; off by default) and {@code tcpMssPort} (4500)
 * choose the seed proposal's measurement (docs/tcp-mss.md), and an optional {@code pmtu} object
 * ({@link PmtuProfileFile}: methods, floor, timers, fixed MTU, outer DF) the other path MTU settings.
 */
public final class IkeTunnelService {
    private static final Logger LOG = LoggerFactory.getLogger(IkeTunnelService.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** The profile file as written. */
    static final class ProfileFile {
        String name = "ike";
        String tun = "psike%d";
        int mtu = 1400;
        String local;
        String gateway;
        String localId;
        String remoteId;
        String psk;
        /** "psk" (default) or "certificate". */
        String auth;
        String cert;
        String key;
        String ca;
        List<String> dhGroups;
        List<String> esp;
        List<String> remoteTs;
        /** ICMP handling (docs/icmp.md), optional: pathsec.icmp.* fills what it leaves out. */
        io.pathsec.engine.icmp.IcmpProfileFile icmp;
        /** Narrow TSr to propose, e.g. "10.2.0.0/24 udp 5001" ({@link TrafficSelectorText}); optional. */
        List<String> trafficSelectors;
        /** tunnel (road warrior, default), transport, or transport-or-tunnel (host-to-host). */
        String mode;
        Long ikeRekeySeconds;
        Long childRekeySeconds;
        Long rekeyJitterSeconds;
        Long dpdDelaySeconds;
        Long retransmitInitialMillis;
        Integer retransmitSends;
        /** Path MTU settings ({@link PmtuProfileFile}); absent: the defaults and pathsec.pmtu.* properties. */
        PmtuProfileFile pmtu;
        /** The TCP-MSS method (off unless true) and its port (4500). */
        Boolean tcpMss;
        Integer tcpMssPort;

        TcpMssSettings tcpMssSettings() {
            return TcpMssSettings.fromProfile(tcpMss, tcpMssPort, false);
        }
        /** RFC 7383: false stops announcing IKE fragmentation (default true). */
        Boolean ikeFragmentation;
        /** Largest IP datagram an IKE fragment fills; 0 or absent: from the path MTU, else 576/1280. */
        Integer ikeFragmentSize;
        /** Also ask the gateway for an IPv6 virtual address and IPv6 networks (default false). */
        Boolean ipv6;
        /** Behind a NAT, NAT-keepalive interval in seconds (RFC 3948 §4; default 20, 0 off). */
        Long natKeepaliveSeconds;

        IkeSessionTimers timers() {
            IkeSessionTimers d = IkeSessionTimers.DEFAULT;
            Duration ike = ikeRekeySeconds == null ? d.ikeRekeyTime() : Duration.ofSeconds(ikeRekeySeconds);
            Duration child = childRekeySeconds == null ? d.childRekeyTime() : Duration.ofSeconds(childRekeySeconds);
            Duration shortest = IkeSessionTimers.DEFAULT.ikeRekeyTime();
            for (Duration x : List.of(ike, child)) {
                if (!x.isZero() && x.compareTo(shortest) < 0) {
                    shortest = x;
                }
            }
            Duration jitter = rekeyJitterSeconds != null ? Duration.ofSeconds(rekeyJitterSeconds) : shortest.dividedBy(10);
            return d.withRekey(ike, child, jitter).withDpd(
                    dpdDelaySeconds == null ? d.dpdDelay() : Duration.ofSeconds(dpdDelaySeconds),
                    retransmitInitialMillis == null ? d.retransmitInitial() : Duration.ofMillis(retransmitInitialMillis),
                    retransmitSends == null ? d.retransmitSends() : retransmitSends)
                    .withNatKeepalive(natKeepaliveSeconds == null ? d.natKeepalive()
                            : Duration.ofSeconds(natKeepaliveSeconds));
        }

        IkeClientProfile toProfile() {
            if (local == null || gateway == null) {
                throw new IllegalArgumentException("profile needs local and gateway");
            }
            IkeProfileAuth authentication = IkeProfileAuth.fromProfileFile(auth, psk, cert, key, ca, localId);
            List<DhGroup> groups = new ArrayList<>();
            for (String g : dhGroups == null ? List.<String>of() : dhGroups) {
                groups.add(DhGroup.valueOf(g.trim().toUpperCase()));
            }
            IkeSuite suite = groups.isEmpty() ? IkeSuite.DEFAULT : new IkeSuite(IkeSuite.DEFAULT.encryption(),
                    IkeSuite.DEFAULT.keyLengthBits(), IkeSuite.DEFAULT.integrity(), IkeSuite.DEFAULT.prf(), groups);
            List<EspTransform> transforms = esp == null || esp.isEmpty() ? List.of(EspTransform.AES_GCM_16_256)
                    : esp.stream().map(EspTransform::fromName).toList();
            return new IkeClientProfile(name, tun, mtu, AddressRange.parseAddress(local),
                    AddressRange.parseAddress(gateway), authentication.localIdentity(),
                    remoteId == null ? null : new IkeIdentity(remoteId), authentication.authenticator(),
                    List.of(suite), transforms, remoteTs == null ? List.of() : remoteTs, timers(), mode(),
                    fragmentation(ikeFragmentation, ikeFragmentSize), ipv6 != null && ipv6, trafficSelectors);
        }

        private ChildSaModeRequest mode() {
            if (mode == null) {
                return ChildSaModeRequest.TUNNEL;
            }
            return switch (mode.trim().toLowerCase()) {
                case "tunnel" -> ChildSaModeRequest.TUNNEL;
                case "transport" -> ChildSaModeRequest.TRANSPORT;
                case "transport-or-tunnel" -> ChildSaModeRequest.TRANSPORT_OR_TUNNEL;
                default -> throw new IllegalArgumentException("mode must be tunnel, transport or transport-or-tunnel,"
                        + " not '" + mode + "'");
            };
        }
    }

    /** The IKE fragmentation a profile file asks for (RFC 7383); errors name the field. */
    public static IkeFragmentPolicy fragmentation(Boolean enabled, Integer size) {
        int bytes = size == null ? 0 : size;
        if (bytes != 0 && (bytes < IkeFragmentPolicy.MIN_SIZE || bytes > IkeFragmentPolicy.MAX_SIZE)) {
            throw new IllegalArgumentException("ikeFragmentSize " + bytes + " outside " + IkeFragmentPolicy.MIN_SIZE
                    + ".." + IkeFragmentPolicy.MAX_SIZE + " (0 for the path MTU)");
        }
        IkeFragmentPolicy p = IkeFragmentPolicy.withSize(bytes);
        return enabled == null || enabled ? p
                : new IkeFragmentPolicy(false, p.fragmentSize(), p.maxFragments(), p.reassemblyTimeout());
    }

    private IkeTunnelService() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: IkeTunnelService PROFILE.json STATUS.json");
            System.exit(2);
        }
        IkeClientProfile profile;
        TcpMssSettings tcpMss;
        PmtuSettings pmtu;
        IcmpSettings icmp;
        try {
            ProfileFile file = GSON.fromJson(Files.readString(Path.of(args[0])), ProfileFile.class);
            profile = file.toProfile();
            tcpMss = file.tcpMssSettings();
            pmtu = PmtuProfileFile.apply(file.pmtu, PmtuSettings.fromProperties(System.getProperties()));
            icmp = io.pathsec.engine.icmp.IcmpProfileFile.apply(file.icmp,
                    IcmpSettings.fromProperties(System.getProperties()));
        } catch (IOException | JsonParseException | IllegalArgumentException e) {
            System.err.println("bad profile " + args[0] + ": " + e.getMessage());
            System.exit(78);
            return;
        }
        run(profile, pmtu, tcpMss, icmp, Path.of(args[1]));
    }

    static void run(IkeClientProfile profile, PmtuSettings pmtu, TcpMssSettings tcpMss, Path statusFile)
            throws IOException, InterruptedException {
        run(profile, pmtu, tcpMss, IcmpSettings.fromProperties(System.getProperties()), statusFile);
    }

    static void run(IkeClientProfile profile, PmtuSettings pmtu, TcpMssSettings tcpMss, IcmpSettings icmp,
                    Path statusFile) throws IOException, InterruptedException {
        try (ShutdownSignal signal = ShutdownSignal.install(8);
             IkeTunnel tunnel = IkeTunnel.startClient(profile, IkeTunnelObserver.NONE, null, pmtu, tcpMss, icmp)) {
            do {
                writeAtomically(statusFile, GSON.toJson(status(tunnel)));
            } while (!signal.awaitStop(1000) && !tunnel.closedFuture().isDone());
            writeAtomically(statusFile, GSON.toJson(status(tunnel)));
        }
    }

    static IkeTunnelStatus status(IkeTunnel tunnel) {
        IkeTunnelStatus s = new IkeTunnelStatus();
        s.device = tunnel.deviceName();
        if (tunnel.established().isDone() && !tunnel.established().isCompletedExceptionally()
                && !tunnel.established().isCancelled()) {
            IkeSessionListener.Established e = tunnel.established().join();
            s.state = tunnel.closedFuture().isDone() ? "CLOSED" : "ESTABLISHED";
            s.virtualIp = e.virtualAddress() == null ? null : e.virtualAddress().getHostAddress();
            s.virtualIp6 = e.virtualAddress6() == null ? null : AddressRange.format(e.virtualAddress6());
            s.peer = e.peer().toString();
            s.peerIdentity = e.peerIdentity();
            s.ikeSuite = e.ikeSuite().toString();
            s.childSa = e.child().toString();
            s.mode = e.child().mode().name();
            s.speaksPathSec = tunnel.peerSpeaksPathSec();
            s.behindNat = tunnel.behindNat();
            s.natTraversal = e.natTraversal();
            s.childSa = tunnel.currentChildSa().map(Object::toString).orElse(s.childSa);
            s.childRekeys = tunnel.childRekeys();
            s.ikeRekeys = tunnel.ikeRekeys();
            IkeSessionException cause = tunnel.closedFuture().getNow(null);
            if (cause != null) {
                s.error = cause.getMessage(); // e.g. "gateway unreachable (no answer to liveness checks for 40 s)"
                s.reason = cause.reason().name();
            }
        } else if (tunnel.established().isCompletedExceptionally()) {
            s.state = "FAILED";
            try {
                tunnel.established().get();
            } catch (ExecutionException ex) {
                s.error = ex.getCause().getMessage();
                if (ex.getCause() instanceof IkeSessionException ike) {
                    s.reason = ike.reason().name();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        } else {
            s.state = tunnel.closedFuture().isDone() ? "CLOSED" : "CONNECTING";
        }
        tunnel.stats().inboundDrops().forEach((r, n) -> s.inboundDrops.put(r.name(), n));
        tunnel.stats().outboundDrops().forEach((r, n) -> s.outboundDrops.put(r.name(), n));
        s.icmpDecisions.putAll(tunnel.icmpDecisions());
        for (SecurityAssociation sa : tunnel.securityAssociations()) {
            s.securityAssociations.add(sa + " packets " + sa.packets());
        }
        s.pmtu = tunnel.pmtuStates().stream().map(PmtuStatus::of).toList();
        s.tcpMss = tunnel.tcpMssResult().map(Object::toString).orElse(null);
        s.tcpMssCounts = tunnel.tcpMssStats().counts();
        s.dplpmtud = tunnel.dplpmtud().orElse(null);
        s.outerIcmp = tunnel.outerIcmpStats();
        return s;
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        StaticTunnelService.writeAtomically(file, content);
    }
}
