package io.pathsec.ui.icmp;

/**
 * One ICMP error the tunnel acted on, as the live table shows it.
 *
 * @param from       where it came from, in DESIGN.md terms, with the address when known
 * @param message    type/code in words, e.g. "3/4 fragmentation needed (MTU 1400)"
 * @param quotedFlow the offending packet the error quoted
 * @param decision   what the gateway did with it
 */
public record IcmpEventRow(String profile, long at, String from, String message, String quotedFlow, String decision) {
}
