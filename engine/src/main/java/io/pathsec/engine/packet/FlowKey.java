package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The selector fields of one IP packet (RFC 4301 §4.4.1.1): addresses, next-layer protocol and
 * ports, or ICMP type and code. A mutable, reusable holder: a thread keeps one and refills it
 * with {@link #parse} for every packet, so the SPD lookup allocates nothing.
 *
 * <p>Addresses are kept as raw bytes, 4 for IPv4 and 16 for IPv6. Ports are -1 when the
 * protocol has none or the packet is a non-first fragment ("OPAQUE", RFC 4301 §4.4.1.1).
 */
public final class FlowKey {
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ICMPV6 = 58;
    public static final int PROTO_SCTP = 132;

    private int ipVersion;
    private final byte[] source = new byte[16];
    private final byte[] destination = new byte[16];
    private int protocol;
    private int sourcePort = -1;
    private int destinationPort = -1;
    private int icmpType = -1;
    private int icmpCode = -1;

    /**
     * Fills this key from the IP packet in {@code packet}'s readable bytes (not consumed).
     * IPv6 extension headers are walked to the upper-layer header.
     *
     * @return false if the packet is too short or not IPv4/IPv6; the key is then undefined
     */
    public boolean parse(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        if (length < 1) {
            return false;
        }
        int version = (packet.getUnsignedByte(start) >> 4);
        sourcePort = destinationPort = icmpType = icmpCode = -1;
        int l4;
        boolean firstFragment = true;
        if (version == 4) {
            if (length < 20) {
                return false;
            }
            int ihl = (packet.getUnsignedByte(start) & 0x0f) * 4;
            if (ihl < 20 || ihl > length) {
                return false;
            }
            // Ports come from the datagram, not from link-layer padding after it.
            int totalLength = packet.getUnsignedShort(start + 2);
            if (totalLength < ihl) {
                return false;
            }
            length = Math.min(length, totalLength);
            ipVersion = 4;
            packet.getBytes(start + 12, source, 0, 4);
            packet.getBytes(start + 16, destination, 0, 4);
            protocol = packet.getUnsignedByte(start + 9);
            firstFragment = (packet.getUnsignedShort(start + 6) & 0x1fff) == 0;
            l4 = start + ihl;
        } else if (version == 6) {
            if (length < 40) {
                return false;
            }
            ipVersion = 6;
            packet.getBytes(start + 8, source, 0, 16);
            packet.getBytes(start + 24, destination, 0, 16);
            int next = packet.getUnsignedByte(start + 6);
            int offset = start + 40;
            length = Math.min(length, 40 + packet.getUnsignedShort(start + 4));
            int end = start + length;
            // Walk extension headers (RFC 8200 §4) up to a bounded count.
            for (int i = 0; i < 8 && IpProtocol.isIpv6ExtensionHeader(next); i++) {
                if (offset + 8 > end) {
                    return false;
                }
                int headerLength;
                if (next == 44) { // Fragment header: fixed 8 bytes
                    firstFragment = (packet.getUnsignedShort(offset + 2) & 0xfff8) == 0;
                    headerLength = 8;
                } else if (next == 51) { // AH: length in 4-octet units minus 2
                    headerLength = (packet.getUnsignedByte(offset + 1) + 2) * 4;
                } else {
                    headerLength = (packet.getUnsignedByte(offset + 1) + 1) * 8;
                }
                next = packet.getUnsignedByte(offset);
                offset += headerLength;
                if (!firstFragment) {
                    break; // what follows a non-first Fragment header is data (RFC 8200 §4.5)
                }
            }
            protocol = next;
            l4 = offset;
        } else {
            return false;
        }
        int available = start + length - l4;
        if (!firstFragment) {
            return true;
        }
        switch (protocol) {
            case PROTO_TCP, PROTO_UDP, PROTO_SCTP, 136 /* UDP-Lite */ -> {
                if (available >= 4) {
                    sourcePort = packet.getUnsignedShort(l4);
                    destinationPort = packet.getUnsignedShort(l4 + 2);
                }
            }
            case PROTO_ICMP, PROTO_ICMPV6 -> {
                if (available >= 2) {
                    icmpType = packet.getUnsignedByte(l4);
                    icmpCode = packet.getUnsignedByte(l4 + 1);
                }
            }
            default -> { }
        }
        return true;
    }

    public int ipVersion() { return ipVersion; }
    public int addressLength() { return ipVersion == 4 ? 4 : 16; }
    /** The source address bytes; only the first {@link #addressLength()} are meaningful. */
    public byte[] source() { return source; }
    /** The destination address bytes; only the first {@link #addressLength()} are meaningful. */
    public byte[] destination() { return destination; }
    public int protocol() { return protocol; }
    public int sourcePort() { return sourcePort; }
    public int destinationPort() { return destinationPort; }
    public int icmpType() { return icmpType; }
    public int icmpCode() { return icmpCode; }

    /** Sets every field directly: for tests and for keys built from a quoted ICMP packet. */
    public FlowKey set(int ipVersion, byte[] src, byte[] dst, int protocol, int sourcePort,
                       int destinationPort, int icmpType, int icmpCode) {
        this.ipVersion = ipVersion;
        System.arraycopy(src, 0, source, 0, addressLength());
        System.arraycopy(dst, 0, destination, 0, addressLength());
        this.protocol = protocol;
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        this.icmpType = icmpType;
        this.icmpCode = icmpCode;
        return this;
    }

    /** Swaps source and destination (addresses and ports): the key as the peer would see it. */
    public FlowKey reverse() {
        for (int i = 0; i < 16; i++) { // in place: keys are reused per packet
            byte b = source[i];
            source[i] = destination[i];
            destination[i] = b;
        }
        int p = sourcePort;
        sourcePort = destinationPort;
        destinationPort = p;
        return this;
    }

    @Override
    public String toString() {
        return address(source) + portSuffix(sourcePort) + " > " + address(destination)
                + portSuffix(destinationPort) + " proto " + protocol
                + (icmpType >= 0 ? " icmp " + icmpType + "/" + icmpCode : "");
    }

    private String address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(Arrays.copyOf(bytes, addressLength())).getHostAddress();
        } catch (UnknownHostException e) {
            return "?";
        }
    }

    private static String portSuffix(int port) {
        return port >= 0 ? ":" + port : "";
    }
}
