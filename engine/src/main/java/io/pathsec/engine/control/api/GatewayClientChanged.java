package io.pathsec.engine.control.api;

/**
 * A road warrior's CHILD_SA entered a gateway's data path ({@code connected}), or the client left
 * ({@code left}: it deleted its IKE SA, stopped answering liveness checks, reconnected with a new
 * IKE SA, or the gateway was disconnected).
 *
 * @param change       {@code connected} or {@code left}
 * @param outerAddress {@code address:port} its IKE came from
 */
public record GatewayClientChanged(String profile, long at, String change, String identity, String virtualIp,
                                   String virtualIp6, String outerAddress) implements ControlEvent {
    public static final String CONNECTED = "connected";
    public static final String LEFT = "left";

    @Override
    public EventType type() {
        return EventType.GATEWAY_CLIENT;
    }
}
