package io.pathsec.engine.control.api;

import java.util.List;

/**
 * The answer to {@code hello}.
 *
 * @param daemon the daemon's version
 * @param protocol the version used on this connection
 * @param methods every request the daemon understands
 * @param events every event type it can send
 * @param peer the client as the daemon saw it through SO_PEERCRED
 */
public record HelloResult(String daemon, int protocol, List<Integer> versions, List<String> methods,
                          List<String> events, PeerIdentity peer) {
}
