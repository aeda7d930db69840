package io.pathsec.engine.control.api;

import java.util.List;

/** The answer to {@code gateway.clients}: the road warriors of a running gateway profile, by identity. */
public record GatewayClientList(String profile, List<GatewayClientInfo> clients) {
}
