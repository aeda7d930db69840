package io.pathsec.engine.tun;

import io.netty.buffer.ByteBuf;
import io.pathsec.engine.linux.LinuxLibC;
import io.pathsec.engine.packet.Checksums;
import io.pathsec.engine.packet.IpProtocol;
import io.netty.buffer.Unpooled;
import jnr.ffi.Pointer;

import java.io.IOException;

/**
 * The receive-side counterpart of {@link GsoSegmenter}: consecutive in-order TCP segments of one
 * flow, decrypted one by one, are written to a TUN with offloads as ONE super-packet behind a
 * {@code virtio_net_hdr} that asks the kernel to treat it as GSO (VIRTIO_NET_HDR_GSO_TCPV4/6,
 * checksum partial). The kernel then routes, forwards and hands to TCP one buffer where it would
 * have handled forty, which is what generic receive offload does for a NIC (and what
 * wireguard-go's tun/offload_linux.go does for its TUN).
 *
 * <p>A segment joins the run when it continues it exactly, as the kernel's tcp_gro_receive()
 * demands: same addresses, ports, IPv4 TOS/TTL or IPv6 traffic class/flow label/hop limit, same
 * acknowledgment number and identical TCP options; its sequence number follows the previous
 * segment; its payload is not longer than the first one's (the GSO size); only ACK (and PSH)
 * set, IPv4 with DF and no options or fragments, IPv6 with TCP right after the fixed header. A
 * shorter segment or one with PSH ends the run. Anything else is written as it is, after the run,
 * so the order of packets is kept.
 *
 * <p>Nothing is copied: one writev(2) gathers the virtio header and the first segment's
 * rewritten headers (in native scratch memory) and then every segment's payload where it lies.
 * Segments are retained until written. Not thread-safe: one writing thread owns it.
 */
final class TcpCoalescer {
    /** Segments per super-packet; the kernel's own GRO stops at 64 too. */
    static final int MAX_SEGMENTS = 64;
    private static final int MAX_IP_PACKET = 65_535;
    private static final int IOVEC = 16;
    private static final int HEADER_SCRATCH = GsoSegmenter.VNET_HDR_LENGTH + 60 + 60;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;

    /** Writes gathered buffers to the TUN as one packet: writev(2) of {@code count} iovecs. */
    interface Gather {
        void writev(long iovecs, int count) throws IOException;
    }

    private final Gather out;
    private final Pointer iovecs = LinuxLibC.allocate((MAX_SEGMENTS + 1) * IOVEC);
    /** The virtio header and the super-packet's headers, gathered in front of the payloads. */
    private final ByteBuf scratch = Unpooled.directBuffer(HEADER_SCRATCH, HEADER_SCRATCH);
    private final ByteBuf[] segments = new ByteBuf[MAX_SEGMENTS];
    private int count;
    // The run: taken from its first segment.
    private int ipHeaderLength;
    private int headerLength;
    private int gsoSize;
    private int payloadBytes;
    private long nextSeq;
    private long superPackets;
    private long coalescedSegments;

    TcpCoalescer(Gather out) {
        this.out = out;
    }

    /**
     * Adds a packet: it joins the run, starts a new one (the old one is written first), or is
     * not TCP data and is returned to the caller to write at once, after the run.
     *
     * @return true when the coalescer took the packet (retained; the caller keeps its own
     *         reference); false when the caller must write it itself, which it may do at once:
     *         the run has been written already
     */
    boolean offer(ByteBuf packet) throws IOException {
        int at = packet.readerIndex();
        int ipLength = candidateIpHeaderLength(packet, at);
        if (ipLength < 0) {
            flush();
            return false;
        }
        if (count > 0 && !continuesRun(packet, at, ipLength)) {
            flush();
        }
        int tcp = at + ipLength;
        int tcpLength = (packet.getUnsignedByte(tcp + 12) >> 4) * 4;
        int payload = packet.readableBytes() - ipLength - tcpLength;
        if (count == 0) {
            ipHeaderLength = ipLength;
            headerLength = ipLength + tcpLength;
            gsoSize = payload;
            payloadBytes = 0;
        }
        segments[count++] = packet.retain();
        payloadBytes += payload;
        nextSeq = (packet.getUnsignedInt(tcp + 4) + payload) & 0xffffffffL;
        // A shorter segment, PSH or a full run ends the run at once: nothing can join it.
        if (payload < gsoSize || (packet.getUnsignedByte(tcp + 13) & TCP_PSH) != 0 || count == MAX_SEGMENTS) {
            flush();
        }
        return true;
    }

    /**
     * The IP header length of a TCP data segment that may be coalesced, else -1: IPv4 without
     * options, DF set, not a fragment; IPv6 with TCP as the next header; only ACK and PSH set;
     * some payload.
     */
    private static int candidateIpHeaderLength(ByteBuf p, int at) {
        int n = p.readableBytes();
        if (n < 40) {
            return -1;
        }
        int version = p.getUnsignedByte(at) >> 4;
        int ipLength;
        if (version == 4) {
            if (p.getUnsignedByte(at) != 0x45 || p.getUnsignedByte(at + 9) != IpProtocol.TCP
                    || (p.getUnsignedShort(at + 6) & 0xbfff) != 0 || (p.getUnsignedShort(at + 6) & 0x4000) == 0
                    || p.getUnsignedShort(at + 2) != n) {
                return -1;
            }
            ipLength = 20;
        } else if (version == 6) {
            if (n < 60 || p.getUnsignedByte(at + 6) != IpProtocol.TCP || 40 + p.getUnsignedShort(at + 4) != n) {
                return -1;
            }
            ipLength = 40;
        } else {
            return -1;
        }
        int tcp = at + ipLength;
        int tcpLength = (p.getUnsignedByte(tcp + 12) >> 4) * 4;
        int flags = p.getUnsignedByte(tcp + 13);
        if (tcpLength < 20 || ipLength + tcpLength >= n || (flags & ~(TCP_ACK | TCP_PSH)) != 0
                || (flags & TCP_ACK) == 0) {
            return -1;
        }
        return ipLength;
    }

    /** tcp_gro_receive()'s rules: the same headers but lengths, IDs and checksums; the next sequence number. */
    private boolean continuesRun(ByteBuf p, int at, int ipLength) {
        ByteBuf first = segments[0];
        int f = first.readerIndex();
        int tcp = at + ipLength;
        int tcpLength = (p.getUnsignedByte(tcp + 12) >> 4) * 4;
        int payload = p.readableBytes() - ipLength - tcpLength;
        if (ipLength != ipHeaderLength || ipLength + tcpLength != headerLength || payload > gsoSize
                || p.getUnsignedInt(tcp + 4) != nextSeq
                || headerLength + payloadBytes + payload > MAX_IP_PACKET) {
            return false;
        }
        if (ipLength == 20) {
            // TOS (1), TTL (8), protocol (9), addresses (12..19); not length, ID, flags, checksum
            if (p.getByte(at + 1) != first.getByte(f + 1) || p.getByte(at + 8) != first.getByte(f + 8)
                    || !sameBytes(p, at + 12, first, f + 12, 8)) {
                return false;
            }
        } else if (p.getInt(at) != first.getInt(f) || p.getByte(at + 7) != first.getByte(f + 7)
                || !sameBytes(p, at + 8, first, f + 8, 32)) {
            return false;
        }
        int firstTcp = f + ipLength;
        // ports (0..3), acknowledgment number (8..11), options (20..)
        return p.getInt(tcp) == first.getInt(firstTcp) && p.getInt(tcp + 8) == first.getInt(firstTcp + 8)
                && sameBytes(p, tcp + 20, first, firstTcp + 20, tcpLength - 20);
    }

    private static boolean sameBytes(ByteBuf a, int ai, ByteBuf b, int bi, int length) {
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            if (a.getInt(ai + i) != b.getInt(bi + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (a.getByte(ai + i) != b.getByte(bi + i)) {
                return false;
            }
        }
        return true;
    }

    /** Writes the run: one plain packet, or one super-packet; then lets the segments go. */
    void flush() throws IOException {
        if (count == 0) {
            return;
        }
        try {
            if (count == 1) {
                ByteBuf only = segments[0];
                scratch.setZero(0, GsoSegmenter.VNET_HDR_LENGTH);
                writeBehindHeader(GsoSegmenter.VNET_HDR_LENGTH, only.memoryAddress() + only.readerIndex(),
                        only.readableBytes());
            } else {
                writeSuperPacket();
            }
        } finally {
            for (int i = 0; i < count; i++) {
                segments[i].release();
                segments[i] = null;
            }
            count = 0;
        }
    }

    private void writeBehindHeader(int headerBytes, long address, int length) throws IOException {
        iovecs.putLong(0, scratch.memoryAddress());
        iovecs.putLong(8, headerBytes);
        iovecs.putLong(IOVEC, address);
        iovecs.putLong(IOVEC + 8, length);
        out.writev(iovecs.address(), 2);
    }

    /**
     * The first segment's headers with the run's lengths, behind a virtio header that asks for
     * segmentation by {@code gsoSize} and a partial checksum: the TCP checksum field holds the
     * pseudo-header sum, as for CHECKSUM_PARTIAL in the kernel.
     */
    private void writeSuperPacket() throws IOException {
        ByteBuf first = segments[0];
        int f = first.readerIndex();
        boolean v4 = ipHeaderLength == 20;
        int total = headerLength + payloadBytes;
        int vnet = GsoSegmenter.VNET_HDR_LENGTH;
        ByteBuf h = scratch;
        h.setByte(0, GsoSegmenter.F_NEEDS_CSUM);
        h.setByte(1, v4 ? GsoSegmenter.GSO_TCPV4 : GsoSegmenter.GSO_TCPV6);
        h.setShortLE(2, headerLength);
        h.setShortLE(4, gsoSize);
        h.setShortLE(6, ipHeaderLength);
        h.setShortLE(8, 16); // offsetof(struct tcphdr, check)
        h.setBytes(vnet, first, f, headerLength);
        if (v4) {
            h.setShort(vnet + 2, total);
            Checksums.updateIpv4HeaderChecksum(h, vnet);
        } else {
            h.setShort(vnet + 4, total - 40);
        }
        int tcp = vnet + ipHeaderLength;
        ByteBuf last = segments[count - 1];
        int lastFlags = last.getUnsignedByte(last.readerIndex() + ipHeaderLength + 13);
        h.setByte(tcp + 13, h.getUnsignedByte(tcp + 13) | (lastFlags & TCP_PSH));
        h.setShort(tcp + 16, Checksums.fold(
                Checksums.pseudoHeaderSum(h, vnet, IpProtocol.TCP, total - ipHeaderLength)));
        iovecs.putLong(0, scratch.memoryAddress());
        iovecs.putLong(8, vnet + headerLength);
        for (int i = 0; i < count; i++) {
            ByteBuf s = segments[i];
            long iov = (long) (i + 1) * IOVEC;
            iovecs.putLong(iov, s.memoryAddress() + s.readerIndex() + headerLength);
            iovecs.putLong(iov + 8, s.readableBytes() - headerLength);
        }
        out.writev(iovecs.address(), count + 1);
        superPackets++;
        coalescedSegments += count;
    }

    /** Super-packets written, and the segments they carried. */
    long superPackets() {
        return superPackets;
    }

    long coalescedSegments() {
        return coalescedSegments;
    }

    /** Lets every held segment go without writing it, and the scratch memory: the device is closed. */
    void discard() {
        for (int i = 0; i < count; i++) {
            segments[i].release();
            segments[i] = null;
        }
        count = 0;
        scratch.release();
    }
}
