package io.pathsec.engine.policy;

import io.pathsec.engine.testsupport.ManualClock;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecurityAssociationTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff0011223344556677"
            + "8899aabbccddeeff01020304");

    static SecurityAssociation.Builder outbound(ManualClock clock) {
        return SecurityAssociation.builder()
                .name("g1").spi(0x1000).direction(Direction.OUTBOUND).transform("aes256gcm16")
                .key(KEY).mode(IpsecMode.TUNNEL)
                .localEndpoint(new InetSocketAddress(AddressRange.parseAddress("198.51.100.1"), 4500))
                .remoteEndpoint(new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 4500))
                .selector(Selector.between(AddressRange.parse("192.0.2.0/24"), AddressRange.parse("203.0.113.0/24")))
                .clock(clock);
    }

    @Test
    void lifetimesInSecondsOnAManualClock() {
        ManualClock clock = new ManualClock(T0);
        SecurityAssociation sa = outbound(clock)
                .softLifetime(Lifetime.ofSeconds(3000)).hardLifetime(Lifetime.ofSeconds(3600)).build();
        assertEquals(T0, sa.created());
        assertEquals(LifetimeState.NONE, sa.expiry(T0.plusSeconds(2999)));
        assertEquals(LifetimeState.SOFT, sa.expiry(T0.plusSeconds(3000)));
        assertEquals(LifetimeState.SOFT, sa.expiry(T0.plusSeconds(3599)));
        assertEquals(LifetimeState.HARD, sa.expiry(T0.plusSeconds(3600)));
        clock.advance(Duration.ofHours(2)); // the clock stamps creation only
        assertEquals(T0, sa.created());
    }

    @Test
    void lifetimesInBytesAndPackets() {
        SecurityAssociation sa = outbound(new ManualClock(T0))
                .softLifetime(new Lifetime(1000, 0, 0)).hardLifetime(new Lifetime(0, 3, 0)).build();
        sa.countPacket(600);
        assertEquals(LifetimeState.NONE, sa.expiry(T0));
        sa.countPacket(400);
        assertEquals(LifetimeState.SOFT, sa.expiry(T0));
        sa.countPacket(1);
        assertEquals(LifetimeState.HARD, sa.expiry(T0));
        assertEquals(3, sa.packets());
        assertEquals(1001, sa.bytes());
    }

    @Test
    void unlimitedNeverExpires() {
        SecurityAssociation sa = outbound(new ManualClock(T0)).build();
        sa.countPacket(Integer.MAX_VALUE);
        assertEquals(LifetimeState.NONE, sa.expiry(T0.plus(Duration.ofDays(3650))));
        assertThrows(IllegalArgumentException.class, () -> new Lifetime(-1, 0, 0));
    }

    @Test
    void dropsAreCountedPerReason() {
        SecurityAssociation sa = outbound(new ManualClock(T0)).build();
        sa.countDrop(DropReason.REPLAY);
        sa.countDrop(DropReason.REPLAY);
        sa.countDrop(DropReason.AUTHENTICATION);
        assertEquals(2, sa.drops(DropReason.REPLAY));
        assertEquals(1, sa.drops(DropReason.AUTHENTICATION));
        assertEquals(0, sa.drops(DropReason.SELECTOR_MISMATCH));
        assertEquals(0, sa.packets());
    }

    @Test
    void sequenceNumbersStartAtOneAndNeverCycleWithoutEsn() throws Exception {
        SecurityAssociation sa = outbound(new ManualClock(T0)).extendedSequenceNumbers(false).build();
        assertEquals(1, sa.nextSequenceNumber());
        assertEquals(2, sa.nextSequenceNumber());
        setLastSequence(sa, SecurityAssociation.MAX_SEQUENCE_32 - 1);
        assertEquals(LifetimeState.NONE, sa.expiry(T0));
        assertEquals(0xFFFF_FFFFL, sa.nextSequenceNumber());
        assertEquals(0, sa.nextSequenceNumber(), "2^32 would cycle (RFC 4303 §3.3.3)");
        assertEquals(0, sa.nextSequenceNumber());
        assertTrue(sa.sequenceNumbersExhausted());
        assertEquals(LifetimeState.HARD, sa.expiry(T0));
    }

    @Test
    void sequenceNumbersWithEsnRunTo2To64Minus1() throws Exception {
        SecurityAssociation sa = outbound(new ManualClock(T0)).extendedSequenceNumbers(true).build();
        setLastSequence(sa, SecurityAssociation.MAX_SEQUENCE_32);
        assertEquals(0x1_0000_0000L, sa.nextSequenceNumber(), "ESN goes past 2^32");
        setLastSequence(sa, -2L); // 2^64-2 unsigned
        assertEquals(-1L, sa.nextSequenceNumber(), "2^64-1 is the last number");
        assertEquals(0, sa.nextSequenceNumber());
        assertEquals(LifetimeState.HARD, sa.expiry(T0));
    }

    private static void setLastSequence(SecurityAssociation sa, long value) throws Exception {
        // Counting to 2^32 in a test takes too long; set the counter through its field.
        var field = SecurityAssociation.class.getDeclaredField("lastSequence");
        field.setAccessible(true);
        ((java.util.concurrent.atomic.AtomicLong) field.get(sa)).set(value);
    }

    @Test
    void keyIsCopiedAndNeverPrinted() {
        byte[] key = KEY.clone();
        SecurityAssociation sa = outbound(new ManualClock(T0)).key(key).build();
        key[0] = 42;
        assertArrayEquals(KEY, sa.keyMaterial());
        assertNotSame(sa.keyMaterial(), sa.keyMaterial());
        String text = sa.toString();
        assertFalse(text.toLowerCase().contains("00112233"), text);
        assertTrue(text.contains("spi 0x00001000"), text);
    }

    @Test
    void selectorsAllowTrafficInBothDirections() {
        SecurityAssociation sa = outbound(new ManualClock(T0)).selectors(java.util.List.of(
                Selector.between(AddressRange.parse("192.0.2.0/24"), AddressRange.parse("203.0.113.0/24")),
                Selector.between(AddressRange.parse("2001:db8:a::/64"), AddressRange.parse("2001:db8:b::/64"))))
                .build();
        assertTrue(sa.allowsOutbound(Flows.tcp("192.0.2.1", 1, "203.0.113.1", 2)));
        assertTrue(sa.allowsInbound(Flows.tcp("2001:db8:b::1", 1, "2001:db8:a::1", 2)));
        assertFalse(sa.allowsInbound(Flows.tcp("2001:db8:c::1", 1, "2001:db8:a::1", 2)),
                "a spoofed inner source is refused (RFC 4301 §5.2 step 4)");
        assertFalse(sa.allowsInbound(Flows.tcp("192.0.2.1", 1, "203.0.113.1", 2)),
                "an outbound-shaped packet arriving inbound is refused");
        assertThrows(IllegalArgumentException.class,
                () -> outbound(new ManualClock(T0)).selectors(java.util.List.of()).build());
    }

    @Test
    void reservedSpisAreRejected() {
        ManualClock clock = new ManualClock(T0);
        assertThrows(IllegalArgumentException.class, () -> outbound(clock).spi(0).build());
        assertThrows(IllegalArgumentException.class, () -> outbound(clock).spi(255).build());
        assertEquals(256, outbound(clock).spi(256).build().spi());
        assertEquals(-1, outbound(clock).spi(-1).build().spi(), "0xffffffff is a valid SPI");
    }
}
