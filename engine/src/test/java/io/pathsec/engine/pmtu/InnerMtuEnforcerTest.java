package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.pathsec.engine.tun.ChannelTun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 4301 §8.2.1 on inner packets: ICMP to the source, fragmentation, MSS clamping. */
class InnerMtuEnforcerTest {
    private static final byte[] TUN_ADDRESS = {10, 99, 0, 1};
    private final ChannelTun tun = new ChannelTun("test0", 1500);
    private final InnerMtuEnforcer enforcer;

    InnerMtuEnforcerTest() throws Exception {
        enforcer = new InnerMtuEnforcer(tun, new InnerIcmpSource(List.of(InetAddress.getByAddress(TUN_ADDRESS))));
    }

    @AfterEach
    void close() {
        enforcer.close();
        tun.close();
    }

    @Test
    void tooBigWithDfIsAnsweredWithFragmentationNeededCarryingTheEffectiveMtu() throws Exception {
        ByteBuf packet = TestPackets.ipv4Tcp(1438, 1, true, false, 0);
        assertEquals(InnerMtuEnforcer.Decision.TOO_BIG, enforcer.decide(packet, 1338));
        assertTrue(enforcer.answerTooBig(packet, 1338));
        ByteBuf icmp = tun.take(1, TimeUnit.SECONDS);
        assertNotNull(icmp, "the error went into the TUN");
        byte[] src = new byte[4];
        icmp.getBytes(12, src);
        assertArrayEquals(TUN_ADDRESS, src, "from the TUN's own address");
        byte[] dst = new byte[4];
        icmp.getBytes(16, dst);
        assertArrayEquals(TestPackets.E1, dst, "to the inner sender");
        assertEquals(3, icmp.getUnsignedByte(20));
        assertEquals(4, icmp.getUnsignedByte(21));
        assertEquals(1338, icmp.getUnsignedShort(26), "next-hop MTU = effective MTU (RFC 1191 §4)");
        icmp.release();
        packet.release();
    }

    @Test
    void withoutDfItIsFragmentedBeforeEncryption() {
        ByteBuf packet = TestPackets.ipv4Tcp(1438, 1, false, false, 0);
        assertEquals(InnerMtuEnforcer.Decision.FRAGMENT, enforcer.decide(packet, 1138));
        List<ByteBuf> out = new ArrayList<>();
        assertEquals(2, enforcer.fragment(packet, 1138, PooledByteBufAllocator.DEFAULT, out));
        assertTrue(out.get(0).readableBytes() <= 1138);
        out.forEach(ByteBuf::release);
        packet.release();
    }

    @Test
    void packetsThatFitPass() {
        ByteBuf packet = TestPackets.ipv4Tcp(1338, 1, true, false, 0);
        assertEquals(InnerMtuEnforcer.Decision.FITS, enforcer.decide(packet, 1338));
        packet.release();
    }

    @Test
    void synMssIsClampedToTheEffectiveMtuLessHeaders() {
        ByteBuf syn = TestPackets.ipv4Tcp(44, 1, true, true, 1460);
        assertTrue(enforcer.clampMss(syn, 1338));
        assertEquals(1298, syn.getUnsignedShort(20 + 22), "1338 - 40");
        assertFalse(enforcer.clampMss(syn, 1400), "never raised");
        syn.release();
        ByteBuf data = TestPackets.ipv4Tcp(1000, 1, true, false, 0);
        assertFalse(enforcer.clampMss(data, 600), "only SYNs");
        data.release();
    }
}
