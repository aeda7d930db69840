package io.pathsec.engine.diag;

import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The last outer datagrams of one tunnel (ESP-in-UDP and IKE on port 4500, RFC 3948), for a
 * diagnostics bundle's capture. Disarmed it costs the data path one volatile read per datagram;
 * armed, each datagram is copied (at most {@link #MAX_DATAGRAM} octets of it) into a ring
 * bounded both in datagrams and in octets, so a bundle stays small enough for one control-API
 * answer.
 *
 * <p>Why a tap and not tcpdump: the capture then holds the seconds <em>before</em> the user
 * asked (the failure they saw), needs no extra tool or namespace knowledge, and sees exactly
 * what the engine sent and received on its socket.
 */
public final class OuterPacketRing {
    /** Datagrams kept. */
    public static final int MAX_PACKETS = 1024;
    /** Octets kept over all datagrams. */
    public static final int MAX_BYTES = 1 << 20;
    /** Longer datagrams are cut (pcap's incl_len below orig_len). */
    public static final int MAX_DATAGRAM = 2048;

    /** One datagram as seen on the socket: who sent it to whom, when, and its UDP payload. */
    public record Datagram(long epochMicros, InetSocketAddress source, InetSocketAddress destination,
                           byte[] payload, int originalLength) {
    }

    private final InetSocketAddress local;
    private final Datagram[] ring = new Datagram[MAX_PACKETS];
    private volatile boolean armed;
    private int next;
    private int count;
    private long bytes;

    /** @param local the tunnel's own outer address and port, for datagrams that do not say it */
    public OuterPacketRing(InetSocketAddress local) {
        this.local = local;
    }

    public boolean armed() {
        return armed;
    }

    /** Starts or stops keeping datagrams; stopping forgets what was kept. */
    public synchronized void arm(boolean on) {
        armed = on;
        if (!on) {
            java.util.Arrays.fill(ring, null);
            next = 0;
            count = 0;
            bytes = 0;
        }
    }

    /** A datagram we send; {@code payload}'s readable bytes are copied, its indexes untouched. */
    public void sent(ByteBuf payload, InetSocketAddress to) {
        if (armed) {
            add(local, to, payload);
        }
    }

    /** A datagram we received. */
    public void received(ByteBuf payload, InetSocketAddress from, InetSocketAddress recipient) {
        if (armed) {
            boolean unspecified = recipient == null || recipient.getAddress() == null
                    || recipient.getAddress().isAnyLocalAddress();
            add(from, unspecified ? local : recipient, payload);
        }
    }

    private void add(InetSocketAddress from, InetSocketAddress to, ByteBuf payload) {
        int length = payload.readableBytes();
        byte[] copy = new byte[Math.min(length, MAX_DATAGRAM)];
        payload.getBytes(payload.readerIndex(), copy);
        Datagram d = new Datagram(nowMicros(), from, to, copy, length);
        synchronized (this) {
            if (!armed) {
                return;
            }
            Datagram old = ring[next];
            if (old != null) {
                bytes -= old.payload().length;
                count--;
            }
            ring[next] = d;
            next = (next + 1) % MAX_PACKETS;
            count++;
            bytes += copy.length;
            // Evict the oldest until the octet bound holds again (bounded by MAX_PACKETS steps).
            for (int i = 0; bytes > MAX_BYTES && i < MAX_PACKETS; i++) {
                int oldest = Math.floorMod(next - count, MAX_PACKETS);
                Datagram o = ring[oldest];
                ring[oldest] = null;
                count--;
                bytes -= o == null ? 0 : o.payload().length;
            }
        }
    }

    /** What is kept, oldest first. */
    public synchronized List<Datagram> snapshot() {
        List<Datagram> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Datagram d = ring[Math.floorMod(next - count + i, MAX_PACKETS)];
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    public synchronized int size() {
        return count;
    }

    private static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
