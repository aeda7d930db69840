package io.pathsec.engine.icmp;

import io.netty.buffer.ByteBuf;
import io.pathsec.engine.packet.FlowKey;
import io.pathsec.engine.packet.IcmpHeader;
import io.pathsec.engine.packet.Icmpv6Header;
import io.pathsec.engine.packet.IpProtocol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One ICMP error message read from a whole IP packet: who sent it to whom, its type and code,
 * the MTU it reports (Fragmentation Needed, RFC 1191; Packet Too Big, RFC 4443 §3.2), and the
 * flow of the offending packet it quotes (RFC 792: its IP header and at least 64 bits of its
 * payload; RFC 4443 §2.4(c): as much as fits in 1280 bytes).
 *
 * <p>Built only on the rare path, once the SPD has refused an ICMP packet or an SA's selectors
 * did, so it allocates freely and keeps its own copies.
 */
public final class IcmpErrorMessage {
    private final int ipVersion;
    private final byte[] source;
    private final byte[] destination;
    private final int type;
    private final int code;
    private final int reportedMtu;
    private final FlowKey quoted;

    private IcmpErrorMessage(int ipVersion, byte[] source, byte[] destination, int type, int code, int reportedMtu,
                             FlowKey quoted) {
        this.ipVersion = ipVersion;
        this.source = source;
        this.destination = destination;
        this.type = type;
        this.code = code;
        this.reportedMtu = reportedMtu;
        this.quoted = quoted;
    }

    /** Whether a parsed packet is an ICMP or ICMPv6 error message (RFC 792, RFC 4443 §2.1). */
    public static boolean isError(FlowKey flow) {
        if (flow.icmpType() < 0) {
            return false;
        }
        if (flow.ipVersion() == 4 && flow.protocol() == FlowKey.PROTO_ICMP) {
            return IcmpHeader.isErrorType(flow.icmpType());
        }
        return flow.ipVersion() == 6 && flow.protocol() == FlowKey.PROTO_ICMPV6
                && Icmpv6Header.isErrorType(flow.icmpType());
    }

    /**
     * Reads the IP packet in {@code packet}'s readable bytes (not consumed).
     *
     * @throws IllegalArgumentException when it is not an ICMP error, or its quote holds no
     *                                  readable IP header of the same version
     */
    public static IcmpErrorMessage parse(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        if (length < 1) {
            throw new IllegalArgumentException("empty packet");
        }
        int version = packet.getUnsignedByte(start) >> 4;
        int icmp;
        int end;
        byte[] src;
        byte[] dst;
        if (version == 4) {
            if (length < 20) {
                throw new IllegalArgumentException("IPv4 header truncated");
            }
            int ihl = (packet.getUnsignedByte(start) & 0x0f) * 4;
            int total = packet.getUnsignedShort(start + 2);
            if (ihl < 20 || total < ihl || ihl > length || packet.getUnsignedByte(start + 9) != FlowKey.PROTO_ICMP
                    || (packet.getUnsignedShort(start + 6) & 0x1fff) != 0) {
                throw new IllegalArgumentException("not an unfragmented ICMP packet");
            }
            src = bytes(packet, start + 12, 4);
            dst = bytes(packet, start + 16, 4);
            icmp = start + ihl;
            end = start + Math.min(length, total);
        } else if (version == 6) {
            if (length < 40) {
                throw new IllegalArgumentException("IPv6 header truncated");
            }
            src = bytes(packet, start + 8, 16);
            dst = bytes(packet, start + 24, 16);
            end = start + Math.min(length, 40 + packet.getUnsignedShort(start + 4));
            int next = packet.getUnsignedByte(start + 6);
            icmp = start + 40;
            for (int i = 0; i < 8 && IpProtocol.isIpv6ExtensionHeader(next) && next != 44; i++) {
                if (icmp + 8 > end) {
                    throw new IllegalArgumentException("IPv6 extension header truncated");
                }
                int headerLength = (packet.getUnsignedByte(icmp + 1) + 1) * 8;
                next = packet.getUnsignedByte(icmp);
                icmp += headerLength;
            }
            if (next != FlowKey.PROTO_ICMPV6) {
                throw new IllegalArgumentException("not an unfragmented ICMPv6 packet");
            }
        } else {
            throw new IllegalArgumentException("IP version " + version);
        }
        return read(packet, version, src, dst, icmp, end);
    }

    /**
     * Reads an ICMP message whose IP header was not delivered (an ICMPv6 raw socket's), from
     * {@code icmp}'s readable bytes (not consumed), with the addresses known otherwise.
     *
     * @throws IllegalArgumentException as {@link #parse}
     */
    public static IcmpErrorMessage ofIcmp(int version, byte[] source, byte[] destination, ByteBuf icmp) {
        if (version != 4 && version != 6) {
            throw new IllegalArgumentException("IP version " + version);
        }
        return read(icmp, version, source.clone(), destination.clone(), icmp.readerIndex(), icmp.writerIndex());
    }

    private static IcmpErrorMessage read(ByteBuf packet, int version, byte[] src, byte[] dst, int icmp, int end) {
        if (icmp + 8 > end) {
            throw new IllegalArgumentException("ICMP header truncated");
        }
        int type = packet.getUnsignedByte(icmp);
        int code = packet.getUnsignedByte(icmp + 1);
        boolean error = version == 4 ? IcmpHeader.isErrorType(type) : Icmpv6Header.isErrorType(type);
        if (!error) {
            throw new IllegalArgumentException("ICMP type " + type + " is not an error message");
        }
        int mtu = 0;
        if (version == 4 && type == IcmpHeader.TYPE_DESTINATION_UNREACHABLE
                && code == IcmpHeader.CODE_FRAGMENTATION_NEEDED) {
            mtu = packet.getUnsignedShort(icmp + 6);
        } else if (version == 6 && type == Icmpv6Header.TYPE_PACKET_TOO_BIG) {
            mtu = (int) Math.min(Integer.MAX_VALUE, packet.getUnsignedInt(icmp + 4));
        }
        int quotedStart = icmp + 8;
        FlowKey quoted = new FlowKey();
        ByteBuf quote = packet.slice(quotedStart, end - quotedStart);
        if (!quoted.parse(quote) || quoted.ipVersion() != version) {
            throw new IllegalArgumentException("the quoted packet has no readable IPv" + version + " header");
        }
        return new IcmpErrorMessage(version, src, dst, type, code, mtu, quoted);
    }

    private static byte[] bytes(ByteBuf packet, int index, int length) {
        byte[] b = new byte[length];
        packet.getBytes(index, b);
        return b;
    }

    public int ipVersion() { return ipVersion; }
    public int type() { return type; }
    public int code() { return code; }
    /** The MTU a Fragmentation Needed / Packet Too Big reports; 0 for other messages. */
    public int reportedMtu() { return reportedMtu; }

    public byte[] source() { return source.clone(); }
    public byte[] destination() { return destination.clone(); }

    /** The offending packet's flow, as it travelled (a copy: callers may reverse it). */
    public FlowKey quotedFlow() {
        FlowKey copy = new FlowKey();
        return copy.set(quoted.ipVersion(), quoted.source(), quoted.destination(), quoted.protocol(),
                quoted.sourcePort(), quoted.destinationPort(), quoted.icmpType(), quoted.icmpCode());
    }

    /** Whether a Fragmentation Needed (ICMPv4 3/4) or Packet Too Big (ICMPv6 2). */
    public boolean isPacketTooBig() {
        return ipVersion == 4 ? type == IcmpHeader.TYPE_DESTINATION_UNREACHABLE
                && code == IcmpHeader.CODE_FRAGMENTATION_NEEDED : type == Icmpv6Header.TYPE_PACKET_TOO_BIG;
    }

    /** The error went back to whoever sent the offending packet: its destination is the quote's source. */
    public boolean addressedToQuotedSender() {
        return Arrays.equals(destination, Arrays.copyOf(quoted.source(), destination.length));
    }

    /** The error came from the host the offending packet was addressed to (E2), not from a router on the way. */
    public boolean sentByQuotedDestination() {
        return Arrays.equals(source, Arrays.copyOf(quoted.destination(), source.length));
    }

    public String sourceText() {
        return text(source);
    }

    static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return "?";
        }
    }
}
