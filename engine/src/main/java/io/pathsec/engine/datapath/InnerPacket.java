package io.pathsec.engine.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pathsec.engine.packet.Checksums;
import io.pathsec.engine.policy.IpsecMode;

import java.net.InetAddress;

/**
 * Turns an inner IP packet into an ESP payload and back, for the two modes of RFC 4303 §3.1.
 * Tunnel mode carries the whole packet (next header 4 or 41); transport mode carries what
 * follows the IP header, which is rebuilt from the outer addresses on the way in.
 */
final class InnerPacket {
    static final int IPV4 = 4;
    static final int IPV6 = 41;

    private InnerPacket() {
    }

    /**
     * Moves the reader index to the ESP payload.
     *
     * @return the ESP next-header value, or -1 if the packet cannot be carried in this mode
     */
    static int prepareForEsp(ByteBuf packet, IpsecMode mode) {
        int version = packet.getUnsignedByte(packet.readerIndex()) >> 4;
        if (mode == IpsecMode.TUNNEL) {
            return version == 4 ? IPV4 : version == 6 ? IPV6 : -1;
        }
        // Transport mode (RFC 4303 §3.1.1): ESP follows the IP header. Packets with IPv6
        // extension headers or IPv4 fragments are not carried in transport mode here.
        int start = packet.readerIndex();
        if (version == 4) {
            int ihl = (packet.getUnsignedByte(start) & 0x0f) * 4;
            int flagsOffset = packet.getUnsignedShort(start + 6);
            if ((flagsOffset & 0x3fff) != 0 || ihl < 20 || ihl > packet.readableBytes()) {
                return -1;
            }
            int protocol = packet.getUnsignedByte(start + 9);
            packet.skipBytes(ihl);
            return protocol;
        }
        if (version == 6 && packet.readableBytes() >= 40) {
            int next = packet.getUnsignedByte(start + 6);
            if (next == 0 || next == 43 || next == 44 || next == 60) {
                return -1;
            }
            packet.skipBytes(40);
            return next;
        }
        return -1;
    }

    /**
     * Transport mode inbound: writes a new IP header in front of the decrypted payload
     * (RFC 4303 §3.1.1), from the outer packet's addresses. Returns a new buffer and releases
     * the payload buffer.
     */
    static ByteBuf rebuildTransportPacket(ByteBufAllocator allocator, ByteBuf payload, int protocol,
                                          InetAddress source, InetAddress destination) {
        byte[] src = source.getAddress();
        byte[] dst = destination.getAddress();
        int payloadLength = payload.readableBytes();
        ByteBuf out;
        if (src.length == 4) {
            out = allocator.directBuffer(20 + payloadLength);
            int start = out.writerIndex();
            out.writeByte(0x45).writeByte(0).writeShort(20 + payloadLength)
                    .writeShort(0).writeShort(0x4000) // DF: the sender did its own PMTU work
                    .writeByte(64).writeByte(protocol).writeShort(0)
                    .writeBytes(src).writeBytes(dst);
            Checksums.updateIpv4HeaderChecksum(out, start);
        } else {
            out = allocator.directBuffer(40 + payloadLength);
            out.writeInt(0x60000000).writeShort(payloadLength).writeByte(protocol).writeByte(64)
                    .writeBytes(src).writeBytes(dst);
        }
        out.writeBytes(payload);
        payload.release();
        return out;
    }
}
