package io.pathsec.engine.control.api;

/**
 * The packet an ICMP error quotes (RFC 792 / RFC 4443: the offending packet's IP header and at
 * least 8 bytes of its payload), as it travelled: {@code source} sent it towards
 * {@code destination}. Ports are null for protocols without ports or when the quote is too short.
 *
 * @param protocol "tcp", "udp", "icmp", "ipv6-icmp" or the protocol number as text
 */
public record IcmpQuotedFlow(String protocol, String source, Integer sourcePort, String destination,
                             Integer destinationPort) {
    /** "udp 10.1.0.10:40000 -> 10.2.0.10:5001", for logs and people. */
    public String describe() {
        return protocol + " " + endpoint(source, sourcePort) + " -> " + endpoint(destination, destinationPort);
    }

    private static String endpoint(String address, Integer port) {
        if (port == null) {
            return address;
        }
        return address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
    }
}
