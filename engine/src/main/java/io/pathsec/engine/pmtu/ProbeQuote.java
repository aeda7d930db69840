package io.pathsec.engine.pmtu;

import java.net.InetSocketAddress;

/**
 * What an outer ICMP Fragmentation Needed / Packet Too Big must quote to be about one of our
 * DPLPMTUD probes (an IKE INFORMATIONAL request, {@code ike/session/IkeProbeLayer}): the IKE SA's
 * two SPIs and the request's message ID (RFC 7296 §3.1), sent to {@code remote} from
 * {@code localPort}, behind the non-ESP marker on port 4500 (RFC 3948 §2.2) or plain on port 500.
 * 128 random SPI bits and a message ID that is in flight for one round trip are what an off-path
 * attacker cannot guess (RFC 8899 §4.6.1: a PL validates a PTB against its own probe).
 *
 * @param localPort our UDP port, 0 when not known
 */
public record ProbeQuote(long initiatorSpi, long responderSpi, int messageId, InetSocketAddress remote,
                         int localPort, boolean natTraversal) {
}
