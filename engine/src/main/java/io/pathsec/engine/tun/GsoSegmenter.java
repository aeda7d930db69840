package io.pathsec.engine.tun;

import io.netty.buffer.ByteBuf;
import io.pathsec.engine.packet.Checksums;
import io.pathsec.engine.packet.IpProtocol;
import io.pathsec.engine.packet.Ipv4Header;
import io.pathsec.engine.packet.Ipv6Header;
import io.pathsec.engine.packet.TcpHeader;

/**
 * Turns what a TUN device with offloads (IFF_VNET_HDR, TUNSETOFFLOAD CSUM|TSO4|TSO6) hands out
 * into ordinary packets: a TCP super-packet of up to 64 KB with one {@code virtio_net_hdr} in
 * front becomes the MSS-sized segments the kernel would have made (the job of its
 * tcp_gso_segment(), done here before encryption, as wireguard-go's tun/offload_linux.go does);
 * a packet whose checksum the kernel left partial (VIRTIO_NET_HDR_F_NEEDS_CSUM) gets it
 * completed. One read(2) then carries what took forty.
 *
 * <p>Per segment: the IPv4 total length, identification (+1 per segment) and header checksum,
 * or the IPv6 payload length; the TCP sequence number (+ gso_size per segment); FIN and PSH
 * only on the last segment, CWR only on the first (RFC 3168 §6.1.2, as the kernel does); and a
 * full TCP checksum over the pseudo-header (RFC 9293 §3.1). Nothing is allocated: segments are
 * copied into the caller's buffer.
 *
 * <p>Not thread-safe: the TUN's one reader owns it.
 */
final class GsoSegmenter {
    // struct virtio_net_hdr, <linux/virtio_net.h>; little-endian (TUN's default on x86/arm64).
    static final int VNET_HDR_LENGTH = 10;
    static final int F_NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_TCPV6 = 4;
    static final int GSO_ECN = 0x80;

    private final ByteBuf staging;
    private int packetStart;
    private int packetEnd;
    // The packet or super-packet in the staging buffer.
    private int gsoType;
    private int gsoSize;
    private int flags;
    private int csumStart;
    private int csumOffset;
    private int ipHeaderLength;
    private int headerLength;
    private int nextPayload;
    private int segmentIndex;
    private boolean pending;
    private long malformed;

    /** @param staging where read(2) puts the virtio header and packet, at index 0 */
    GsoSegmenter(ByteBuf staging) {
        this.staging = staging;
    }

    ByteBuf staging() {
        return staging;
    }

    /** Whether a segment (or a single packet) is waiting for {@link #next}. */
    boolean hasNext() {
        return pending;
    }

    /** Super-packets and packets dropped because their virtio header or headers did not add up. */
    long malformed() {
        return malformed;
    }

    /**
     * Takes the {@code length} bytes read(2) put at the staging buffer's index 0.
     *
     * @return false when it was malformed (counted and dropped)
     */
    boolean load(int length) {
        pending = false;
        if (length <= VNET_HDR_LENGTH) {
            malformed++;
            return false;
        }
        flags = staging.getUnsignedByte(0);
        gsoType = staging.getUnsignedByte(1) & ~GSO_ECN;
        gsoSize = staging.getUnsignedShortLE(4);
        csumStart = staging.getUnsignedShortLE(6);
        csumOffset = staging.getUnsignedShortLE(8);
        packetStart = VNET_HDR_LENGTH;
        packetEnd = length;
        segmentIndex = 0;
        if (gsoType == GSO_NONE) {
            nextPayload = packetEnd; // one packet: next() copies it whole
            headerLength = 0;
        } else if (!parseTcpSuperPacket()) {
            malformed++;
            return false;
        }
        pending = true;
        return true;
    }

    /** Drops what is left of the packet or super-packet. */
    void drop() {
        pending = false;
    }

    /** The length of what {@link #next} will write. */
    int nextLength() {
        if (gsoType == GSO_NONE) {
            return packetEnd - packetStart;
        }
        return headerLength + Math.min(gsoSize, packetEnd - nextPayload);
    }

    /**
     * Writes the next segment at {@code dst}'s writer index (which must have room for
     * {@link #nextLength()}) and advances the writer index.
     *
     * @return its length
     */
    int next(ByteBuf dst) {
        int at = dst.writerIndex();
        int length;
        if (gsoType == GSO_NONE) {
            length = packetEnd - packetStart;
            dst.setBytes(at, staging, packetStart, length);
            if ((flags & F_NEEDS_CSUM) != 0) {
                completeChecksum(dst, at, length);
            }
            pending = false;
        } else {
            length = nextSegment(dst, at);
        }
        dst.writerIndex(at + length);
        return length;
    }

    private boolean parseTcpSuperPacket() {
        int total = packetEnd - packetStart;
        int version = staging.getUnsignedByte(packetStart) >> 4;
        if (gsoType == GSO_TCPV4 && version == Ipv4Header.VERSION && total >= Ipv4Header.MIN_HEADER_LENGTH) {
            ipHeaderLength = (staging.getUnsignedByte(packetStart) & 0x0f) * 4;
            if (staging.getUnsignedByte(packetStart + Ipv4Header.PROTOCOL_OFFSET) != IpProtocol.TCP) {
                return false;
            }
        } else if (gsoType == GSO_TCPV6 && version == Ipv6Header.VERSION && total >= Ipv6Header.HEADER_LENGTH) {
            ipHeaderLength = Ipv6Header.HEADER_LENGTH;
            // The kernel's TSO for IPv6 never carries extension headers from a local socket.
            if (staging.getUnsignedByte(packetStart + Ipv6Header.NEXT_HEADER_OFFSET) != IpProtocol.TCP) {
                return false;
            }
        } else {
            return false; // UDP GSO and others are not offered (TUNSETOFFLOAD), so never expected
        }
        if (ipHeaderLength < Ipv4Header.MIN_HEADER_LENGTH || total < ipHeaderLength + TcpHeader.MIN_HEADER_LENGTH) {
            return false;
        }
        int tcpHeaderLength = (staging.getUnsignedByte(packetStart + ipHeaderLength + TcpHeader.DATA_OFFSET_OFFSET) >> 4) * 4;
        // hdr_len from the kernel is a hint only (virtio 1.2 §5.1.6.2); the headers themselves tell.
        headerLength = ipHeaderLength + tcpHeaderLength;
        if (tcpHeaderLength < TcpHeader.MIN_HEADER_LENGTH || headerLength >= total || gsoSize == 0) {
            return false;
        }
        nextPayload = packetStart + headerLength;
        return true;
    }

    private int nextSegment(ByteBuf dst, int at) {
        int payload = Math.min(gsoSize, packetEnd - nextPayload);
        boolean last = nextPayload + payload >= packetEnd;
        dst.setBytes(at, staging, packetStart, headerLength);
        dst.setBytes(at + headerLength, staging, nextPayload, payload);
        int length = headerLength + payload;
        int tcp = at + ipHeaderLength;
        if (gsoType == GSO_TCPV6) {
            dst.setShort(at + Ipv6Header.PAYLOAD_LENGTH_OFFSET, length - Ipv6Header.HEADER_LENGTH);
        } else {
            dst.setShort(at + Ipv4Header.TOTAL_LENGTH_OFFSET, length);
            int id = staging.getUnsignedShort(packetStart + Ipv4Header.IDENTIFICATION_OFFSET);
            dst.setShort(at + Ipv4Header.IDENTIFICATION_OFFSET, id + segmentIndex);
            Checksums.updateIpv4HeaderChecksum(dst, at);
        }
        long seq = staging.getUnsignedInt(packetStart + ipHeaderLength + 4);
        dst.setInt(tcp + 4, (int) (seq + (long) segmentIndex * gsoSize));
        int tcpFlags = dst.getUnsignedByte(tcp + TcpHeader.FLAGS_OFFSET);
        if (!last) {
            tcpFlags &= ~(TcpHeader.FIN | TcpHeader.PSH);
        }
        if (segmentIndex > 0) {
            tcpFlags &= ~TcpHeader.CWR;
        }
        dst.setByte(tcp + TcpHeader.FLAGS_OFFSET, tcpFlags);
        Checksums.updateTransportChecksum(dst, at, tcp, length - ipHeaderLength, IpProtocol.TCP);
        segmentIndex++;
        nextPayload += payload;
        pending = !last;
        return length;
    }

    /**
     * VIRTIO_NET_HDR_F_NEEDS_CSUM: the checksum field at csum_start + csum_offset holds the
     * pseudo-header sum; the one's complement of the sum from csum_start to the end is the
     * checksum (the kernel's CHECKSUM_PARTIAL contract, skbuff.h).
     */
    private void completeChecksum(ByteBuf dst, int at, int length) {
        if (csumStart + csumOffset + 2 > length || csumStart >= length) {
            return; // a lying header: leave the packet as it is, the receiver's check drops it
        }
        int checksum = Checksums.internetChecksum(dst, at + csumStart, length - csumStart);
        // As skb_checksum_help(): a zero result goes out as 0xffff (the same value in one's
        // complement), which UDP needs since zero means "no checksum" there (RFC 768).
        dst.setShort(at + csumStart + csumOffset, checksum == 0 ? 0xffff : checksum);
    }
}
