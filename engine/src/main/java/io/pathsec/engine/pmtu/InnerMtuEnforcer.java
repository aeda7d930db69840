package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.packet.IcmpErrorBuilder;
import io.pathsec.engine.packet.Ipv4Fragmenter;
import io.pathsec.engine.packet.Ipv6Header;
import io.pathsec.engine.packet.MalformedPacketException;
import io.pathsec.engine.packet.TcpMssClamp;
import io.pathsec.engine.tun.TunDevice;

import java.io.IOException;
import java.util.List;

/**
 * Applies an SA's effective MTU to the inner packets about to enter it (RFC 4301 §8.2.1,
 * DESIGN.md "The packet path"):
 * <ul>
 *   <li>a packet that fits goes on, after TCP SYNs had their MSS clamped to the effective MTU
 *       less 40 (IPv4) or 60 (IPv6) octets of headers;</li>
 *   <li>a larger IPv4 packet with DF set, or any larger IPv6 packet, is answered with ICMP
 *       Fragmentation Needed / Packet Too Big carrying the effective MTU, written into the TUN
 *       towards its source, and dropped;</li>
 *   <li>a larger IPv4 packet without DF is fragmented before encryption (RFC 4301 §7 leaves
 *       the choice; fragments inside ESP keep the outer packets unfragmented).</li>
 * </ul>
 * An IPv6 packet over an SA whose effective MTU is below 1280 cannot be told to shrink
 * (RFC 8200 §5): it is sent as it is.
 *
 * <p>One instance per thread (the outbound reader): it reuses its views and its ICMP buffer, so
 * a packet that fits costs no allocation, and neither does an ICMP error after the first.
 */
public final class InnerMtuEnforcer {
    /** What to do with a packet. */
    public enum Decision { FITS, TOO_BIG, FRAGMENT }

    private static final int IPV4_HEADERS = 40;
    private static final int IPV6_HEADERS = 60;

    private final TunDevice tun;
    private final InnerIcmpSource icmpSource;
    private final IcmpErrorBuilder icmp = new IcmpErrorBuilder();
    private final TcpMssClamp mssClamp = new TcpMssClamp();
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final ByteBuf icmpBuffer = Unpooled.directBuffer(IcmpErrorBuilder.IPV6_MAX_ERROR_LENGTH);

    public InnerMtuEnforcer(TunDevice tun, InnerIcmpSource icmpSource) {
        this.tun = tun;
        this.icmpSource = icmpSource;
    }

    /** Another enforcer on the same TUN for another thread: the buffers are per instance. */
    public InnerMtuEnforcer forAnotherThread() {
        return new InnerMtuEnforcer(tun, icmpSource);
    }

    /** Decides for the packet in the readable bytes against {@code effectiveMtu}. */
    public Decision decide(ByteBuf packet, int effectiveMtu) {
        int length = packet.readableBytes();
        if (length <= effectiveMtu) {
            return Decision.FITS;
        }
        int start = packet.readerIndex();
        if ((packet.getUnsignedByte(start) >> 4) == 4) {
            boolean dontFragment = (packet.getUnsignedByte(start + 6) & 0x40) != 0;
            return dontFragment ? Decision.TOO_BIG : Decision.FRAGMENT;
        }
        return effectiveMtu >= Ipv6Header.MINIMUM_MTU ? Decision.TOO_BIG : Decision.FITS;
    }

    /**
     * Writes ICMP Fragmentation Needed / Packet Too Big with {@code effectiveMtu} into the TUN
     * towards the packet's source. The caller drops the packet.
     *
     * @return whether an error was written (none for packets the ICMP rules exempt)
     */
    public boolean answerTooBig(ByteBuf packet, int effectiveMtu) {
        byte[] source = icmpSource.sourceFor(packet);
        if (source == null) {
            return false;
        }
        icmpBuffer.clear();
        try {
            int n = icmp.packetTooBig(icmpBuffer, source, packet, packet.readerIndex(),
                    Math.max(effectiveMtu, IcmpErrorBuilder.IPV4_MINIMUM_MTU));
            if (n == 0) {
                return false;
            }
            tun.write(icmpBuffer);
            return true;
        } catch (MalformedPacketException | IllegalArgumentException | IOException e) {
            return false;
        }
    }

    /**
     * Fragments an IPv4 packet without DF to {@code effectiveMtu}; the fragments (owned by the
     * caller) are appended to {@code out}.
     *
     * @return the number of fragments, 0 if the packet could not be fragmented
     */
    public int fragment(ByteBuf packet, int effectiveMtu, ByteBufAllocator allocator, List<ByteBuf> out) {
        try {
            return fragmenter.fragment(packet, packet.readerIndex(), effectiveMtu, allocator, out);
        } catch (MalformedPacketException | IllegalArgumentException e) {
            return 0;
        }
    }

    /**
     * Clamps the MSS of a TCP SYN or SYN-ACK so that the segments fit {@code effectiveMtu}
     * (done in both directions: outbound SYNs and the inbound answers to our side's SYNs).
     * Cheap for everything that is not a SYN: two header reads.
     *
     * @return whether the packet changed
     */
    public boolean clampMss(ByteBuf packet, int effectiveMtu) {
        return clampMss(mssClamp, packet, effectiveMtu);
    }

    /** {@link #clampMss(ByteBuf, int)} with a caller-held clamp (for threads without an enforcer). */
    public static boolean clampMss(TcpMssClamp clamp, ByteBuf packet, int effectiveMtu) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        if (length < 40) {
            return false;
        }
        int version = packet.getUnsignedByte(start) >> 4;
        int l4;
        int headers;
        if (version == 4) {
            if (packet.getUnsignedByte(start + 9) != 6 || (packet.getUnsignedShort(start + 6) & 0x1fff) != 0) {
                return false;
            }
            l4 = start + (packet.getUnsignedByte(start) & 0x0f) * 4;
            headers = IPV4_HEADERS;
        } else if (version == 6 && length >= 60) {
            if (packet.getUnsignedByte(start + 6) != 6) {
                return false; // extension headers: rare on SYNs; left alone
            }
            l4 = start + 40;
            headers = IPV6_HEADERS;
        } else {
            return false;
        }
        if (l4 + 14 > start + length || (packet.getUnsignedByte(l4 + 13) & 0x02) == 0) {
            return false;
        }
        int mss = effectiveMtu - headers;
        if (mss < 1) {
            return false;
        }
        try {
            return clamp.clamp(packet, start, mss);
        } catch (MalformedPacketException e) {
            return false;
        }
    }

    public void close() {
        icmpBuffer.release();
    }
}
