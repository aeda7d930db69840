package io.pathsec.engine.control.api;

import java.util.Map;

/**
 * One security association as {@code sa} shows it. Keys are never part of it.
 *
 * @param spi {@code 0x}-prefixed, eight hex digits
 * @param direction {@code "inbound"} or {@code "outbound"}
 * @param created ISO-8601 instant
 */
public record SaInfo(String spi, String direction, String transform, String mode, String localEndpoint,
                     String remoteEndpoint, boolean udpEncapsulation, boolean extendedSequenceNumbers,
                     int replayWindow, long packets, long bytes, Map<String, Long> drops, String created) {
}
