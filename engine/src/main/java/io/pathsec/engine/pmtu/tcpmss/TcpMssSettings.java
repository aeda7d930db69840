package io.pathsec.engine.pmtu.tcpmss;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether a tunnel uses the TCP-MSS method, and on which TCP port the responder listens.
 *
 * @param connectTimeout  how long the initiator waits for the SYN-ACK (a blocked port drops the SYN)
 * @param exchangeTimeout how long a whole exchange may take, connection included, on either side
 * @param listenWindow    how long after IKE_AUTH a responder keeps waiting for the initiator
 */
public record TcpMssSettings(boolean enabled, int port, Duration connectTimeout, Duration exchangeTimeout,
                             Duration listenWindow) {
    /** The seed proposal's port: 4500, as NAT boxes already pass it for IKE (here over TCP). */
    public static final int DEFAULT_PORT = 4500;
    public static final TcpMssSettings OFF = new TcpMssSettings(false, DEFAULT_PORT, Duration.ofSeconds(3),
            Duration.ofSeconds(5), Duration.ofSeconds(15));

    public TcpMssSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(exchangeTimeout, "exchangeTimeout");
        Objects.requireNonNull(listenWindow, "listenWindow");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TCP-MSS port must be 1-65535, not " + port);
        }
        for (Duration d : new Duration[] {connectTimeout, exchangeTimeout, listenWindow}) {
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("TCP-MSS timeouts must be between 0 and 5 minutes, not " + d);
            }
        }
    }

    /** On, at {@code port}, with the default timeouts. */
    public static TcpMssSettings on(int port) {
        return OFF.withEnabled(true, port);
    }

    public TcpMssSettings withEnabled(boolean on, int onPort) {
        return new TcpMssSettings(on, onPort, connectTimeout, exchangeTimeout, listenWindow);
    }

    /** From a profile's optional fields: null {@code enabled} means {@code enabledByDefault}, null port 4500. */
    public static TcpMssSettings fromProfile(Boolean enabled, Integer port, boolean enabledByDefault) {
        return OFF.withEnabled(enabled == null ? enabledByDefault : enabled, port == null ? DEFAULT_PORT : port);
    }
}
