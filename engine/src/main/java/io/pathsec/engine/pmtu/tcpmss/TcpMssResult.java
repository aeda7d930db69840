package io.pathsec.engine.pmtu.tcpmss;

import io.pathsec.engine.pmtu.PmtuSource;
import io.pathsec.engine.pmtu.PmtuState;

import java.time.Instant;
import java.util.Collection;

/** How one TCP-MSS exchange ended: a measured path MTU, or a quiet fallback with its reason. */
public sealed interface TcpMssResult {

    /**
     * Both MSS values arrived authenticated.
     *
     * @param localMss the MSS this side observed; {@code peerMss} the other side's
     * @param pathMtu  the smaller MSS plus IP and TCP headers
     */
    record Measured(int localMss, int peerMss, int pathMtu, Instant at) implements TcpMssResult {
        /**
         * Enters the path MTU into each SA's state as a TCP_MSS observation. It can only lower the
         * PLPMTU: the handshake carried no full-size packet, so the clamp is a ceiling the path
         * announced, not a size it was seen to carry (DPLPMTUD confirms sizes, RFC 8899 §4.2).
         */
        public void applyTo(Collection<PmtuState> states) {
            for (PmtuState state : states) {
                if (state != null) {
                    state.reportTooBig(PmtuSource.TCP_MSS, pathMtu);
                }
            }
        }

        @Override
        public String toString() {
            return "path MTU " + pathMtu + " (MSS observed here " + localMss + ", by the peer " + peerMss + ")";
        }
    }

    /** No value: the tunnel keeps what its other sources say. */
    record Failed(TcpMssRejection reason, String detail, Instant at) implements TcpMssResult {
        @Override
        public String toString() {
            return "no value (" + reason + ": " + detail + ")";
        }
    }
}
