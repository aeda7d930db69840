package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;
import io.pathsec.engine.packet.Checksums;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Decides whether an outer ICMPv4 Fragmentation Needed (RFC 1191 §4) or ICMPv6 Packet Too Big
 * (RFC 4443 §3.2) concerns one of our ESP packets, before it may lower an SA's PLPMTU
 * (DESIGN.md "Path MTU", source 1; RFC 4301 §8.2.2 and §6.1.1; RFC 8899 §4.6.1 asks the same
 * of any PTB a PL uses). The quoted packet must be ours:
 * <ol>
 *   <li>ESP-in-UDP from our address and port to the peer's (or raw ESP between the two
 *       addresses), with</li>
 *   <li>the SPI of a live outbound SA, and</li>
 *   <li>a sequence number among the last {@code window} that SA sent — which an off-path
 *       attacker who does not see our traffic cannot guess;</li>
 * </ol>
 * and the MTU must be plausible: present, not below the floor, and below the quoted packet's
 * length. Anything else is rejected with its reason and changes nothing.
 *
 * <p>A quoted IKE message (behind the non-ESP marker on port 4500, RFC 3948 §2.2, or on port 500)
 * is accepted only when it is the DPLPMTUD probe an SA has in flight ({@link InFlightProbe}): the
 * same IKE SPIs, message ID and size, to the probe's peer address and port from ours (RFC 8899
 * §4.6.1). Other IKE messages are not sized by ICMP.
 *
 * <p>Not thread-safe only in the sense that it keeps no state; one instance may serve any thread.
 */
public final class IcmpPmtuValidator {
    static final int ICMPV4_DESTINATION_UNREACHABLE = 3;
    static final int ICMPV4_FRAGMENTATION_NEEDED = 4;
    static final int ICMPV6_PACKET_TOO_BIG = 2;
    private static final int ICMP_HEADER = 8;
    private static final int UDP = 17;
    private static final int ESP = 50;
    private static final int IKE_PORT = 500;
    /** The IKE header up to and including the message ID (RFC 7296 §3.1). */
    private static final int IKE_HEADER_THROUGH_MESSAGE_ID = 24;

    private final PmtuSaView.Directory directory;
    private final int sequenceWindow;

    public IcmpPmtuValidator(PmtuSaView.Directory directory, int sequenceWindow) {
        this.directory = directory;
        this.sequenceWindow = sequenceWindow;
    }

    /** Whether the ICMP message (readable bytes, from its type octet) is a PMTU message at all. */
    public static boolean isPacketTooBig(ByteBuf icmp, boolean ipv6) {
        if (icmp.readableBytes() < 2) {
            return false;
        }
        int type = icmp.getUnsignedByte(icmp.readerIndex());
        int code = icmp.getUnsignedByte(icmp.readerIndex() + 1);
        return ipv6 ? type == ICMPV6_PACKET_TOO_BIG && code == 0
                : type == ICMPV4_DESTINATION_UNREACHABLE && code == ICMPV4_FRAGMENTATION_NEEDED;
    }

    /**
     * Validates a PMTU message ({@link #isPacketTooBig} true). For ICMPv4 the checksum is
     * checked here; for ICMPv6 the kernel checks it before a raw socket sees the message.
     */
    public IcmpVerdict validate(ByteBuf icmp, boolean ipv6) {
        int start = icmp.readerIndex();
        int length = icmp.readableBytes();
        if (length < ICMP_HEADER || !isPacketTooBig(icmp, ipv6)) {
            return IcmpVerdict.rejected(IcmpRejection.MALFORMED);
        }
        if (!ipv6 && Checksums.internetChecksum(icmp, start, length) != 0) {
            return IcmpVerdict.rejected(IcmpRejection.MALFORMED);
        }
        long mtu = ipv6 ? icmp.getUnsignedInt(start + 4) : icmp.getUnsignedShort(start + 6);
        int quoted = start + ICMP_HEADER;
        int end = start + length;

        // The quoted outer header: ours are plain IPv4 (no options needed, but allowed) or IPv6
        // without extension headers.
        int espOffset;
        int protocol;
        int quotedLength;
        int addressLength = ipv6 ? 16 : 4;
        int sourceOffset;
        if (ipv6) {
            if (quoted + 40 > end || (icmp.getUnsignedByte(quoted) >> 4) != 6) {
                return IcmpVerdict.rejected(IcmpRejection.TRUNCATED_QUOTE);
            }
            protocol = icmp.getUnsignedByte(quoted + 6);
            quotedLength = 40 + icmp.getUnsignedShort(quoted + 4);
            sourceOffset = quoted + 8;
            espOffset = quoted + 40;
        } else {
            if (quoted + 20 > end || (icmp.getUnsignedByte(quoted) >> 4) != 4) {
                return IcmpVerdict.rejected(IcmpRejection.TRUNCATED_QUOTE);
            }
            int ihl = (icmp.getUnsignedByte(quoted) & 0x0f) * 4;
            if (ihl < 20) {
                return IcmpVerdict.rejected(IcmpRejection.MALFORMED);
            }
            protocol = icmp.getUnsignedByte(quoted + 9);
            quotedLength = icmp.getUnsignedShort(quoted + 2);
            sourceOffset = quoted + 12;
            espOffset = quoted + ihl;
        }
        int destinationOffset = sourceOffset + addressLength;
        int udpOffset = -1;
        if (protocol == UDP) {
            udpOffset = espOffset;
            espOffset += 8;
        } else if (protocol != ESP) {
            return IcmpVerdict.rejected(IcmpRejection.NOT_ESP);
        }
        if (espOffset + 8 > end) {
            return IcmpVerdict.rejected(IcmpRejection.TRUNCATED_QUOTE);
        }
        int spi = icmp.getInt(espOffset);
        if (protocol == UDP && (spi == 0 || icmp.getUnsignedShort(udpOffset + 2) == IKE_PORT)) {
            // The non-ESP marker (RFC 3948 §2.2), or port 500 where no ESP goes: IKE.
            Quote q = new Quote(sourceOffset, destinationOffset, addressLength, udpOffset, quotedLength, mtu);
            return validateProbe(icmp, q, spi == 0 ? espOffset + 4 : espOffset, end, spi == 0);
        }
        PmtuSaView sa = directory.outboundBySpi(spi);
        if (sa == null) {
            return IcmpVerdict.rejected(IcmpRejection.UNKNOWN_SPI);
        }
        if (sa.udpEncapsulation() != (protocol == UDP)) {
            return IcmpVerdict.rejected(IcmpRejection.NOT_ESP);
        }
        if (!sameAddress(icmp, sourceOffset, addressLength, sa.localEndpoint(), true)
                || !sameAddress(icmp, destinationOffset, addressLength, sa.remoteEndpoint(), false)) {
            return IcmpVerdict.rejected(IcmpRejection.WRONG_ADDRESS);
        }
        if (udpOffset >= 0 && (icmp.getUnsignedShort(udpOffset) != sa.localEndpoint().getPort()
                || icmp.getUnsignedShort(udpOffset + 2) != sa.remoteEndpoint().getPort())) {
            return IcmpVerdict.rejected(IcmpRejection.WRONG_PORT);
        }
        if (!recentlySent(sa.lastSequenceNumber(), icmp.getUnsignedInt(espOffset + 4))) {
            return IcmpVerdict.rejected(IcmpRejection.STALE_SEQUENCE);
        }
        IcmpRejection implausible = implausibleMtu(mtu, sa.pmtu().floor(), quotedLength);
        return implausible != null ? IcmpVerdict.rejected(implausible) : IcmpVerdict.accepted(sa, (int) mtu);
    }

    /** Where the parts of the quoted packet are, and the MTU reported. */
    private record Quote(int sourceOffset, int destinationOffset, int addressLength, int udpOffset, int length,
                         long mtu) {
    }

    /** A quoted IKE message: accepted only as the DPLPMTUD probe some SA has in flight. */
    private IcmpVerdict validateProbe(ByteBuf icmp, Quote q, int ikeOffset, int end, boolean marker) {
        if (ikeOffset + IKE_HEADER_THROUGH_MESSAGE_ID > end) {
            return IcmpVerdict.rejected(IcmpRejection.TRUNCATED_QUOTE);
        }
        long initiatorSpi = icmp.getLong(ikeOffset);
        long responderSpi = icmp.getLong(ikeOffset + 8);
        PmtuSaView sa = null;
        InFlightProbe probe = null;
        for (PmtuSaView candidate : directory.outboundSas()) {
            InFlightProbe p = candidate.pmtu().probeInFlight();
            if (p != null && p.quote().initiatorSpi() == initiatorSpi && p.quote().responderSpi() == responderSpi) {
                sa = candidate;
                probe = p;
                break;
            }
        }
        if (probe == null) {
            return IcmpVerdict.rejected(IcmpRejection.UNKNOWN_SPI);
        }
        ProbeQuote expected = probe.quote();
        if (!sameAddress(icmp, q.sourceOffset, q.addressLength, sa.localEndpoint(), true)
                || !sameAddress(icmp, q.destinationOffset, q.addressLength, expected.remote(), false)) {
            return IcmpVerdict.rejected(IcmpRejection.WRONG_ADDRESS);
        }
        if (marker != expected.natTraversal()
                || (expected.localPort() != 0 && icmp.getUnsignedShort(q.udpOffset) != expected.localPort())
                || icmp.getUnsignedShort(q.udpOffset + 2) != expected.remote().getPort()) {
            return IcmpVerdict.rejected(IcmpRejection.WRONG_PORT);
        }
        if (icmp.getInt(ikeOffset + 20) != expected.messageId() || q.length != probe.size()) {
            return IcmpVerdict.rejected(IcmpRejection.NOT_A_PROBE);
        }
        IcmpRejection implausible = implausibleMtu(q.mtu, sa.pmtu().floor(), q.length);
        return implausible != null ? IcmpVerdict.rejected(implausible)
                : IcmpVerdict.acceptedForProbe(sa, (int) q.mtu, probe);
    }

    /** RFC 1191 §4 / RFC 8201 §4: an MTU that is absent, under the floor or not below the packet is ignored. */
    private static IcmpRejection implausibleMtu(long mtu, int floor, int quotedLength) {
        if (mtu == 0) {
            return IcmpRejection.NO_MTU;
        }
        if (mtu < floor) {
            return IcmpRejection.BELOW_FLOOR;
        }
        return mtu >= quotedLength ? IcmpRejection.IMPLAUSIBLE_MTU : null;
    }

    /**
     * Whether {@code quoted} (the low 32 bits on the wire, RFC 4303 §2.2) is one of the last
     * {@code sequenceWindow} numbers the SA handed out: in [last − window + 1, last], mod 2^32.
     */
    boolean recentlySent(long last, long quoted) {
        if (last == 0) {
            return false;
        }
        long behind = ((last & 0xFFFF_FFFFL) - quoted) & 0xFFFF_FFFFL;
        return behind < sequenceWindow && behind < last;
    }

    private static boolean sameAddress(ByteBuf buf, int offset, int length, InetSocketAddress endpoint,
                                       boolean wildcardMatchesAll) {
        InetAddress address = endpoint.getAddress();
        if (wildcardMatchesAll && address.isAnyLocalAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buf.getByte(offset + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }
}
