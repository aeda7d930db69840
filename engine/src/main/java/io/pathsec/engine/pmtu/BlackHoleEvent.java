package io.pathsec.engine.pmtu;

import java.time.Instant;

/**
 * A PMTU black hole was detected on an SA (DESIGN.md "Path MTU" source 4): inner packets of
 * {@code vanishedSize} bytes were retransmitted again and again while no ICMP arrived, so the
 * SA's PLPMTU fell from {@code previousPlpmtu} to the base {@code newPlpmtu} (RFC 8899 §4.3).
 *
 * @param sa the SA's name and SPI, e.g. {@code g1-out 0x00001000}
 */
public record BlackHoleEvent(String sa, int vanishedSize, int previousPlpmtu, int newPlpmtu, Instant at) {
}
