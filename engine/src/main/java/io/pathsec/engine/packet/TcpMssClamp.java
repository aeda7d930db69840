package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_OPTION;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_VERSION;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.TRUNCATED;

/**
 * Lowers the Maximum Segment Size option of TCP SYNs crossing the tunnel, so that the two ends
 * of a TCP connection send segments that fit the SA's effective MTU without relying on ICMP
 * (DESIGN.md, "The packet path"). Only the two MSS octets and the TCP checksum change; the
 * checksum is updated incrementally (RFC 1624).
 *
 * <p>One instance holds reusable views: keep one per thread; it allocates nothing per packet.
 */
public final class TcpMssClamp {
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();
    private final TcpHeader tcp = new TcpHeader();

    /**
     * Lowers the MSS option of the TCP SYN (or SYN-ACK) in the IP packet at {@code offset} to
     * {@code maximumMss} when it is larger. Packets that are not TCP, not a SYN, non-first
     * fragments, or carry no MSS option are left untouched.
     *
     * @return whether the packet changed
     * @throws MalformedPacketException if the IP or TCP header, or the TCP options, are malformed
     */
    public boolean clamp(ByteBuf packet, int offset, int maximumMss) throws MalformedPacketException {
        if (maximumMss < 1 || maximumMss > 0xffff) {
            throw new IllegalArgumentException("MSS " + maximumMss);
        }
        if (offset < 0 || offset >= packet.writerIndex()) {
            throw new MalformedPacketException(TRUNCATED, "no packet at index " + offset);
        }
        int version = packet.getUnsignedByte(offset) >> 4;
        int tcpOffset;
        int segmentLength;
        if (version == Ipv4Header.VERSION) {
            ipv4.wrap(packet, offset).validate();
            if (ipv4.protocol() != IpProtocol.TCP || ipv4.fragmentOffset() != 0) {
                return false;
            }
            tcpOffset = ipv4.payloadOffset();
            segmentLength = ipv4.payloadLength();
        } else if (version == Ipv6Header.VERSION) {
            ipv6.wrap(packet, offset).validate();
            if (ipv6.upperLayerProtocol() != IpProtocol.TCP || ipv6.isNonFirstFragment()) {
                return false;
            }
            tcpOffset = ipv6.upperLayerOffset();
            segmentLength = ipv6.upperLayerLength();
        } else {
            throw new MalformedPacketException(BAD_VERSION, "IP version " + version);
        }
        tcp.wrap(packet, tcpOffset).validate(segmentLength);
        if (!tcp.isSyn()) {
            return false;
        }
        int option = tcp.findOption(TcpOptions.KIND_MSS);
        if (option < 0) {
            return false;
        }
        if (packet.getUnsignedByte(option + 1) != TcpOptions.MSS_LENGTH) {
            throw new MalformedPacketException(BAD_OPTION, "MSS option length " + packet.getUnsignedByte(option + 1));
        }
        int valueIndex = option + 2;
        int mss = packet.getUnsignedShort(valueIndex);
        if (mss <= maximumMss) {
            return false;
        }
        packet.setShort(valueIndex, maximumMss);
        int checksum = tcp.checksum();
        if (((valueIndex - tcpOffset) & 1) == 0) {
            checksum = Checksums.incrementalUpdate(checksum, mss, maximumMss);
        } else {
            // Behind an odd number of NOPs the value straddles two 16-bit words of the sum: its
            // bytes count swapped (RFC 1071 §2(B)).
            checksum = Checksums.incrementalUpdate(checksum, swapBytes(mss), swapBytes(maximumMss));
        }
        tcp.setChecksum(checksum);
        return true;
    }

    private static int swapBytes(int word) {
        return ((word & 0xff) << 8) | (word >>> 8);
    }
}
