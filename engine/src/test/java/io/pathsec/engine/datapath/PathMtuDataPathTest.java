package io.pathsec.engine.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.config.IpPrefix;
import io.pathsec.engine.config.StaticConfig;
import io.pathsec.engine.config.StaticConfigGenerator;
import io.pathsec.engine.pmtu.InnerIcmpSource;
import io.pathsec.engine.pmtu.PmtuSource;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.policy.Sad;
import io.pathsec.engine.policy.Spd;
import io.pathsec.engine.transport.InMemoryEspTransport;
import io.pathsec.engine.tun.ChannelTun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PMTU step of the outbound path (RFC 4301 §8.2.1) through two whole in-memory engines:
 * too big with DF is answered into the TUN and dropped, DF clear is fragmented before
 * encryption, and a lowered PLPMTU takes effect on the next packet.
 */
class PathMtuDataPathTest {
    private static final InetSocketAddress G1 = new InetSocketAddress(addr("198.51.100.1"), 4500);
    private static final InetSocketAddress G2 = new InetSocketAddress(addr("198.51.100.130"), 4500);
    private static final byte[] E1 = addr("192.0.2.2").getAddress();
    private static final byte[] E2 = addr("203.0.113.2").getAddress();
    private static final byte[] G1_INSIDE = addr("192.0.2.1").getAddress();

    private final List<AutoCloseable> open = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(17);
    private ChannelTun tun1;
    private ChannelTun tun2;
    private DataPath path1;

    @BeforeEach
    void start() throws Exception {
        StaticConfigGenerator.ConfigPair pair = StaticConfigGenerator.pair(
                new StaticConfigGenerator.Host("g1", G1, List.of(), List.of(IpPrefix.parse("192.0.2.0/24"))),
                new StaticConfigGenerator.Host("g2", G2, List.of(), List.of(IpPrefix.parse("203.0.113.0/24"))),
                IpsecMode.TUNNEL, "aes256gcm16", new SplittableRandom(1));
        tun1 = track(new ChannelTun("g1", 1500, 4096));
        tun2 = track(new ChannelTun("g2", 1500, 4096));
        InMemoryEspTransport.Pair wire = InMemoryEspTransport.pair(G1, G2);
        InnerIcmpSource source = new InnerIcmpSource(List.of(InetAddress.getByAddress(G1_INSIDE)));
        path1 = track(DataPath.start(tun1, policy(pair.first()), 1, wire.first().opener(), source, false));
        track(DataPath.start(tun2, policy(pair.second()), 1, wire.second().opener(), source, false));
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void tooBigWithDfIsAnsweredIntoTheTunAndDropped() throws Exception {
        PmtuState pmtu = path1.pmtuStates().get(0);
        assertEquals(1438, pmtu.effectiveMtu());
        tun1.inject(Unpooled.wrappedBuffer(TwoEngineDataPathTest.ipv4Udp(E1, E2, 1500 - 28, random)));
        ByteBuf icmp = tun1.take(5, TimeUnit.SECONDS);
        assertNotNull(icmp, "Fragmentation Needed written back into the TUN");
        assertEquals(1, icmp.getUnsignedByte(9), "ICMP");
        assertEquals(3, icmp.getUnsignedByte(20));
        assertEquals(4, icmp.getUnsignedByte(21));
        assertEquals(1438, icmp.getUnsignedShort(26));
        icmp.release();
        assertNull(tun2.take(200, TimeUnit.MILLISECONDS), "nothing went through");
        assertEquals(1, path1.stats().outboundDrops(DropReason.TOO_BIG));

        // A lower PLPMTU takes effect on the very next packet.
        pmtu.reportTooBig(PmtuSource.CLASSIC_ICMP, 1400);
        tun1.inject(Unpooled.wrappedBuffer(TwoEngineDataPathTest.ipv4Udp(E1, E2, 1400 - 28, random)));
        icmp = tun1.take(5, TimeUnit.SECONDS);
        assertNotNull(icmp);
        assertEquals(1338, icmp.getUnsignedShort(26));
        icmp.release();
        byte[] fits = TwoEngineDataPathTest.ipv4Udp(E1, E2, 1338 - 28, random);
        tun1.inject(Unpooled.wrappedBuffer(fits));
        ByteBuf delivered = tun2.take(5, TimeUnit.SECONDS);
        assertNotNull(delivered, "a packet of exactly the effective MTU passes");
        assertEquals(1338, delivered.readableBytes());
        delivered.release();
    }

    @Test
    void withoutDfItIsFragmentedBeforeEncryption() throws Exception {
        byte[] packet = TwoEngineDataPathTest.ipv4Udp(E1, E2, 1490 - 28, random);
        packet[6] = 0; // DF clear
        ByteBuf b = Unpooled.wrappedBuffer(packet);
        io.pathsec.engine.packet.Checksums.updateIpv4HeaderChecksum(b, 0);
        tun1.inject(b);
        int total = 0;
        for (int i = 0; i < 2; i++) {
            ByteBuf fragment = tun2.take(5, TimeUnit.SECONDS);
            assertNotNull(fragment, "fragment " + i);
            assertTrue(fragment.readableBytes() <= 1438);
            total += fragment.readableBytes() - 20;
            fragment.release();
        }
        assertEquals(1490 - 20, total, "all the data arrived in two fragments");
        assertEquals(0, path1.stats().outboundDrops(DropReason.TOO_BIG));
    }

    private static TunnelPolicy policy(StaticConfig config) {
        TunnelPolicy p = new TunnelPolicy(new Spd(), new Sad(), 1, 0);
        p.install(config.securityAssociations(Clock.systemUTC()));
        p.policies(config.spdEntries());
        return p;
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
