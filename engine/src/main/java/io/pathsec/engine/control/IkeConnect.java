package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ConnectStep;
import io.pathsec.engine.control.api.PmtuMethod;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.ike.session.IkeSessionException;
import io.pathsec.engine.pmtu.tcpmss.TcpMssSettings;
import io.pathsec.engine.tunnel.IkeClientProfile;
import io.pathsec.engine.tunnel.IkeTunnel;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connect of an IKEv2 profile: resolve the gateway and our address, start the
 * {@link IkeTunnel}, wait (bounded) for IKE_AUTH to finish, and turn every failure into the words
 * of {@link IkeFailureWords}. On failure the tunnel is closed: nothing is left behind.
 */
final class IkeConnect {
    /**
     * How long a connect waits. Shorter than the IKE_SA_INIT retransmissions (RFC 7296 §2.1:
     * 1+2+…+32 s) and than a client's default call timeout, so the user hears "gateway
     * unreachable" from the daemon rather than a timeout from the client.
     */
    static final Duration LIMIT = Duration.ofSeconds(45);

    private final IkeClientProfileSpec spec;
    private final TunnelContext context;
    private final IkeTunnelEvents events;

    IkeConnect(IkeClientProfileSpec spec, TunnelContext context) {
        this.spec = spec;
        this.context = context;
        this.events = new IkeTunnelEvents(spec.name(), context);
    }

    RunningTunnel run() throws IOException {
        events.progress(ConnectStep.RESOLVING, "looking up " + spec.gateway());
        InetAddress gateway = gatewayAddress();
        InetAddress local = spec.local() != null ? spec.local() : localAddressToward(gateway);
        IkeClientProfile profile = spec.resolve(gateway, local);
        IkeTunnel tunnel = IkeTunnel.startClient(profile, events,
                context.capture().apply(LinuxTunnelStarter.natTraversalEndpoint(local)),
                ProfilePmtu.engineSettings(spec.settings()), tcpMss(spec.settings()),
                LinuxTunnelStarter.icmpSettings(spec.settings()));
        try {
            tunnel.established().get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            return new LinuxTunnelStarter.RunningEngineTunnel(tunnel);
        } catch (ExecutionException e) {
            tunnel.close();
            Throwable cause = e.getCause();
            throw new IOException(cause instanceof IkeSessionException ike ? IkeFailureWords.of(ike)
                    : "cannot install the negotiated tunnel: " + cause.getMessage());
        } catch (TimeoutException e) {
            tunnel.close();
            throw new IOException("gateway unreachable: no IKE answer from " + gateway.getHostAddress() + " within "
                    + LIMIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            tunnel.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting");
        } catch (RuntimeException e) {
            tunnel.close();
            throw e;
        }
    }

    private InetAddress gatewayAddress() throws IOException {
        try {
            return InetAddress.getByName(spec.gateway());
        } catch (UnknownHostException e) {
            throw new IOException("gateway unreachable: cannot resolve " + spec.gateway());
        }
    }

    /** The address the routing table picks to reach the gateway (a UDP connect sends nothing). */
    private static InetAddress localAddressToward(InetAddress gateway) throws IOException {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(gateway, 500));
            InetAddress local = probe.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                throw new IOException("gateway unreachable: no route to " + gateway.getHostAddress());
            }
            return local;
        } catch (java.io.UncheckedIOException | java.net.SocketException e) {
            throw new IOException("gateway unreachable: no route to " + gateway.getHostAddress() + " ("
                    + e.getMessage() + ")");
        }
    }

    /** The TCP-MSS method when the profile's path-MTU methods include it, at its port (4500 by default). */
    static TcpMssSettings tcpMss(ProfileSettings settings) {
        boolean on = settings != null && settings.pmtuMethods() != null
                && settings.pmtuMethods().contains(PmtuMethod.TCP_MSS);
        return TcpMssSettings.fromProfile(on, settings == null ? null : settings.tcpMssPort(), false);
    }
}
