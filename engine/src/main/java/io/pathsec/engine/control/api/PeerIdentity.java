package io.pathsec.engine.control.api;

/** A process on the other end of the socket, from SO_PEERCRED. */
public record PeerIdentity(int pid, int uid, int gid) {
}
