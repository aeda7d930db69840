package io.pathsec.engine.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.config.IpPrefix;
import io.pathsec.engine.config.StaticConfig;
import io.pathsec.engine.config.StaticConfigGenerator;
import io.pathsec.engine.packet.Checksums;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.policy.Sad;
import io.pathsec.engine.policy.Spd;
import io.pathsec.engine.transport.InMemoryEspTransport;
import io.pathsec.engine.tun.ChannelTun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Two complete data paths back to back — TUN, SPD, ESP, crypto workers, ordered lanes — over
 * in-memory TUN devices and an in-memory wire: no root, no sockets. What E1's side writes into
 * G1's TUN must come out of G2's TUN unchanged and in order; what an attacker on the wire
 * replays or changes must be counted and never come out.
 */
class TwoEngineDataPathTest {
    private static final InetSocketAddress G1 = new InetSocketAddress(addr("198.51.100.1"), 4500);
    private static final InetSocketAddress G2 = new InetSocketAddress(addr("198.51.100.130"), 4500);
    private static final byte[] E1 = addr("192.0.2.2").getAddress();
    private static final byte[] E2 = addr("203.0.113.2").getAddress();
    private static final byte[] E1_V6 = addr("2001:db8:a::2").getAddress();
    private static final byte[] E2_V6 = addr("2001:db8:b::2").getAddress();

    private final List<AutoCloseable> open = new ArrayList<>();
    private ChannelTun tun1;
    private ChannelTun tun2;
    private DataPath path1;
    private DataPath path2;
    private InMemoryEspTransport.Pair wire;

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"aes128gcm16", "aes256gcm16", "chacha20poly1305", "aes128-sha256", "aes256-sha256"})
    void tunnelModeDeliversEveryPacketUnchangedAndInOrder(String transform) throws Exception {
        start(IpsecMode.TUNNEL, transform, 2);
        List<byte[]> sent = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1500; i++) {
            byte[] packet = i % 3 == 2
                    ? ipv6Udp(E1_V6, E2_V6, random.nextInt(0, 1300), random)
                    : ipv4Udp(E1, E2, random.nextInt(0, 1372), random);
            sent.add(packet);
            tun1.inject(Unpooled.wrappedBuffer(packet));
        }
        assertDelivered(tun2, sent);
        // And back: G2 -> G1.
        byte[] reply = ipv4Udp(E2, E1, 200, random);
        tun2.inject(Unpooled.wrappedBuffer(reply));
        assertDelivered(tun1, List.of(reply));
        assertEquals(0, path2.stats().inboundDrops().size(), "no inbound drops: " + path2.stats());
    }

    @Test
    void inlineCryptoDeliversInOrderToo() throws Exception {
        start(IpsecMode.TUNNEL, "aes256gcm16", 0);
        List<byte[]> sent = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 500; i++) {
            byte[] packet = ipv4Udp(E1, E2, random.nextInt(0, 1372), random);
            sent.add(packet);
            tun1.inject(Unpooled.wrappedBuffer(packet));
        }
        assertDelivered(tun2, sent);
    }

    @Test
    void transportModeRebuildsTheIpHeaderFromTheOuterAddresses() throws Exception {
        start(IpsecMode.TRANSPORT, "aes256gcm16", 2);
        byte[] g1 = G1.getAddress().getAddress();
        byte[] g2 = G2.getAddress().getAddress();
        List<byte[]> sent = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 300; i++) {
            byte[] packet = ipv4Udp(g1, g2, random.nextInt(0, 1300), random);
            sent.add(packet);
            tun1.inject(Unpooled.wrappedBuffer(packet));
        }
        // The rebuilt header differs in id, TTL and flags (RFC 4303 §3.1.1 carries only the
        // payload), so compare what transport mode promises: addresses, protocol and payload.
        for (byte[] expected : sent) {
            ByteBuf got = tun2.take(10, TimeUnit.SECONDS);
            assertNotNull(got, "packet delivered in transport mode");
            byte[] actual = ByteBufUtil.getBytes(got);
            got.release();
            assertArrayEquals(slice(expected, 12, 20), slice(actual, 12, 20), "addresses");
            assertEquals(expected[9], actual[9], "protocol");
            assertArrayEquals(slice(expected, 20, expected.length), slice(actual, 20, actual.length), "payload");
            assertEquals(0, Checksums.internetChecksum(Unpooled.wrappedBuffer(actual), 0, 20), "IPv4 header checksum");
        }
    }

    @Test
    void replayedDatagramsAreCountedAndNeverDelivered() throws Exception {
        start(IpsecMode.TUNNEL, "aes256gcm16", 2);
        // The attacker on the wire delivers every datagram twice.
        wire.first().onTheWire(datagram -> {
            wire.second().inject(datagram.copy(), G1);
            return datagram;
        });
        List<byte[]> sent = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200; i++) {
            byte[] packet = ipv4Udp(E1, E2, 100 + i, random);
            sent.add(packet);
            tun1.inject(Unpooled.wrappedBuffer(packet));
        }
        assertDelivered(tun2, sent);
        assertNull(tun2.take(200, TimeUnit.MILLISECONDS), "no copy delivered");
        awaitDrops(DropReason.REPLAY, 200);
    }

    @Test
    void tamperedDatagramsFailAuthenticationAndAreNeverDelivered() throws Exception {
        start(IpsecMode.TUNNEL, "aes256gcm16", 2);
        wire.first().onTheWire(datagram -> {
            int last = datagram.writerIndex() - 1;
            datagram.setByte(last - 20, datagram.getByte(last - 20) ^ 0x40);
            return datagram;
        });
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 100; i++) {
            tun1.inject(Unpooled.wrappedBuffer(ipv4Udp(E1, E2, 300, random)));
        }
        awaitDrops(DropReason.AUTHENTICATION, 100);
        assertNull(tun2.take(200, TimeUnit.MILLISECONDS), "nothing tampered was delivered");
    }

    @Test
    void packetsNoPolicyProtectsAreDroppedAtTheSender() throws Exception {
        start(IpsecMode.TUNNEL, "aes256gcm16", 2);
        SplittableRandom random = new SplittableRandom(17);
        byte[] elsewhere = addr("198.51.100.77").getAddress();
        for (int i = 0; i < 10; i++) {
            tun1.inject(Unpooled.wrappedBuffer(ipv4Udp(E1, elsewhere, 64, random)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (path1.stats().outboundDrops(DropReason.POLICY_DISCARD) < 10 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(10, path1.stats().outboundDrops(DropReason.POLICY_DISCARD));
        assertEquals(0, wire.first().sent(), "nothing left G1");
    }

    // --- set-up and packets -------------------------------------------------------------------

    private void start(IpsecMode mode, String transform, int workers) throws Exception {
        StaticConfigGenerator.ConfigPair pair = StaticConfigGenerator.pair(
                new StaticConfigGenerator.Host("g1", G1, List.of(),
                        List.of(IpPrefix.parse("192.0.2.0/24"), IpPrefix.parse("2001:db8:a::/64"))),
                new StaticConfigGenerator.Host("g2", G2, List.of(),
                        List.of(IpPrefix.parse("203.0.113.0/24"), IpPrefix.parse("2001:db8:b::/64"))),
                mode, transform, new SplittableRandom(1));
        tun1 = track(new ChannelTun("g1", 1400, 4096));
        tun2 = track(new ChannelTun("g2", 1400, 4096));
        wire = InMemoryEspTransport.pair(G1, G2);
        path1 = track(DataPath.start(tun1, policy(pair.first()), workers, wire.first().opener()));
        path2 = track(DataPath.start(tun2, policy(pair.second()), workers, wire.second().opener()));
    }

    static TunnelPolicy policy(StaticConfig config) {
        TunnelPolicy p = new TunnelPolicy(new Spd(), new Sad(), Math.max(1, config.workers()), 0);
        p.install(config.securityAssociations(Clock.systemUTC()));
        p.policies(config.spdEntries());
        return p;
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    static void assertDelivered(ChannelTun tun, List<byte[]> expected) throws InterruptedException {
        for (int i = 0; i < expected.size(); i++) {
            ByteBuf got = tun.take(10, TimeUnit.SECONDS);
            assertNotNull(got, "packet " + i + " delivered");
            byte[] actual = ByteBufUtil.getBytes(got);
            got.release();
            assertArrayEquals(expected.get(i), actual, "packet " + i + " unchanged and in order");
        }
    }

    private void awaitDrops(DropReason reason, long count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (path2.stats().inboundDrops(reason) < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(count, path2.stats().inboundDrops(reason), reason + " drops counted");
    }

    static byte[] ipv4Udp(byte[] src, byte[] dst, int payloadLength, SplittableRandom random) {
        ByteBuf b = Unpooled.buffer(28 + payloadLength);
        b.writeByte(0x45).writeByte(0).writeShort(28 + payloadLength).writeShort(random.nextInt(65536))
                .writeShort(0x4000).writeByte(64).writeByte(17).writeShort(0).writeBytes(src).writeBytes(dst);
        b.writeShort(40000).writeShort(5001).writeShort(8 + payloadLength).writeShort(0);
        for (int i = 0; i < payloadLength; i++) {
            b.writeByte(random.nextInt(256));
        }
        Checksums.updateIpv4HeaderChecksum(b, 0);
        Checksums.updateTransportChecksum(b, 0, 20, 8 + payloadLength, 17);
        return ByteBufUtil.getBytes(b);
    }

    static byte[] ipv6Udp(byte[] src, byte[] dst, int payloadLength, SplittableRandom random) {
        ByteBuf b = Unpooled.buffer(48 + payloadLength);
        b.writeInt(0x60000000).writeShort(8 + payloadLength).writeByte(17).writeByte(64).writeBytes(src).writeBytes(dst);
        b.writeShort(40000).writeShort(5001).writeShort(8 + payloadLength).writeShort(0);
        for (int i = 0; i < payloadLength; i++) {
            b.writeByte(random.nextInt(256));
        }
        Checksums.updateTransportChecksum(b, 0, 40, 8 + payloadLength, 17);
        return ByteBufUtil.getBytes(b);
    }

    private static byte[] slice(byte[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    private static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
