package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * The source address of the ICMP errors the gateway writes into the TUN for inner senders
 * (RFC 4301 §8.2.1). The choice, in order:
 * <ol>
 *   <li>the TUN device's own address of the right family, when it has one (a road-warrior
 *       client's virtual IP): the error then comes from the tunnel's own end;</li>
 *   <li>otherwise the gateway's inside address towards the sender — the preferred source of
 *       the route to it, as the kernel picks it for a connected UDP socket (nothing is sent);
 *       this is the address a router on the sender's path would use (RFC 1812 §4.3.2.4);</li>
 *   <li>when that is the sender itself (the packet was made on this host, transport mode), the
 *       inner destination: an error from our own address arriving on the TUN would be
 *       dropped as a martian, and the peer is the next hop of the tunnel.</li>
 * </ol>
 * Lookups are cached per family, so after the first error no allocation happens.
 */
public final class InnerIcmpSource {
    private final byte[] tunAddress4;
    private final byte[] tunAddress6;
    private byte[] routed4;
    private byte[] routed6;

    public InnerIcmpSource(List<InetAddress> tunAddresses) {
        byte[] a4 = null;
        byte[] a6 = null;
        for (InetAddress a : tunAddresses) {
            byte[] b = a.getAddress();
            if (b.length == 4 && a4 == null) {
                a4 = b;
            } else if (b.length == 16 && a6 == null) {
                a6 = b;
            }
        }
        this.tunAddress4 = a4;
        this.tunAddress6 = a6;
    }

    /** The source for an error answering the inner packet at the reader index; null if none. */
    public byte[] sourceFor(ByteBuf offending) {
        int start = offending.readerIndex();
        boolean v6 = (offending.getUnsignedByte(start) >> 4) == 6;
        int length = v6 ? 16 : 4;
        int srcOffset = start + (v6 ? 8 : 12);
        byte[] fixed = v6 ? tunAddress6 : tunAddress4;
        if (fixed != null) {
            return fixed;
        }
        byte[] routed = v6 ? routed6 : routed4;
        if (routed == null) {
            byte[] sender = new byte[length];
            offending.getBytes(srcOffset, sender);
            routed = routeSource(sender);
            if (routed == null || routed.length != length) {
                return null;
            }
            if (v6) {
                routed6 = routed;
            } else {
                routed4 = routed;
            }
        }
        if (equalsAt(offending, srcOffset, routed)) {
            byte[] destination = new byte[length];
            offending.getBytes(srcOffset + length, destination);
            return destination;
        }
        return routed;
    }

    private static byte[] routeSource(byte[] sender) {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(InetAddress.getByAddress(sender), 9));
            InetAddress local = probe.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? null : local.getAddress();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean equalsAt(ByteBuf buf, int offset, byte[] address) {
        for (int i = 0; i < address.length; i++) {
            if (buf.getByte(offset + i) != address[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "InnerIcmpSource[tun4=" + Arrays.toString(tunAddress4) + ", tun6=" + Arrays.toString(tunAddress6) + "]";
    }
}
