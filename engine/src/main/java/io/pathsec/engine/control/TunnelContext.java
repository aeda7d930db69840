package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.diag.OuterPacketRing;

import java.net.InetSocketAddress;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the daemon lends a tunnel it starts: where to publish the tunnel's own events (progress,
 * SA changes), the diagnostics capture for its outer address, and whom to tell when the tunnel
 * dies on its own (the gateway deleted it or stopped answering).
 *
 * @param capture the ring for a tunnel whose outer address and port are known only once it starts
 * @param lost    called at most once, from any thread, with the reason in words; must not block
 */
public record TunnelContext(Consumer<ControlEvent> events, Function<InetSocketAddress, OuterPacketRing> capture,
                            Consumer<String> lost) {
    /** For tests and tools that want none of it. */
    public static final TunnelContext NONE = new TunnelContext(e -> { }, a -> null, why -> { });
}
