package io.pathsec.engine.policy;

import io.pathsec.engine.testsupport.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.pathsec.engine.policy.SecurityAssociationTest.T0;
import static io.pathsec.engine.policy.SecurityAssociationTest.outbound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SadTest {
    private final ManualClock clock = new ManualClock(T0);

    private SecurityAssociation inbound(int spi, Lifetime hard) {
        return outbound(clock).direction(Direction.INBOUND).spi(spi).replayWindow(1024)
                .hardLifetime(hard).build();
    }

    @Test
    void inboundBySpiOutboundByBinding() {
        Sad sad = new Sad();
        SecurityAssociation in = inbound(0x2000, Lifetime.UNLIMITED);
        SecurityAssociation out = outbound(clock).build();
        sad.add(in);
        sad.add(out);
        assertSame(in, sad.inbound(0x2000));
        assertNull(sad.inbound(0x1000), "outbound SPIs are not looked up inbound");
        assertSame(out, sad.outbound("g1"));
        assertNull(sad.outbound("g2"));
        assertEquals(2, sad.size());
        assertEquals(Set.of(in, out), Set.copyOf(sad.all()));
    }

    @Test
    void duplicatesAreRefused() {
        Sad sad = new Sad();
        sad.add(inbound(0x2000, Lifetime.UNLIMITED));
        sad.add(outbound(clock).build());
        assertThrows(IllegalStateException.class, () -> sad.add(inbound(0x2000, Lifetime.UNLIMITED)));
        assertThrows(IllegalStateException.class, () -> sad.add(outbound(clock).spi(0x3000).build()));
    }

    @Test
    void makeBeforeBreakRekey() {
        Sad sad = new Sad();
        SecurityAssociation oldIn = inbound(0x2000, Lifetime.UNLIMITED);
        SecurityAssociation oldOut = outbound(clock).build();
        sad.add(oldIn);
        sad.add(oldOut);
        // New inbound SA first: both accept traffic while the peer switches.
        SecurityAssociation newIn = inbound(0x2001, Lifetime.UNLIMITED);
        sad.add(newIn);
        assertSame(oldIn, sad.inbound(0x2000));
        assertSame(newIn, sad.inbound(0x2001));
        SecurityAssociation newOut = outbound(clock).spi(0x1001).build();
        assertSame(oldOut, sad.replaceOutbound(newOut));
        assertSame(newOut, sad.outbound("g1"));
        assertFalse(sad.remove(oldOut), "the binding now holds the new SA");
        assertSame(newOut, sad.outbound("g1"));
        assertTrue(sad.remove(oldIn));
        assertNull(sad.inbound(0x2000));
        assertSame(newIn, sad.inbound(0x2001));
        assertThrows(IllegalArgumentException.class, () -> sad.replaceOutbound(newIn));
    }

    @Test
    void expireRemovesOnlyHardExpiredSas() {
        Sad sad = new Sad();
        SecurityAssociation shortLived = inbound(0x2000, Lifetime.ofSeconds(60));
        SecurityAssociation longLived = inbound(0x2001, Lifetime.ofSeconds(3600));
        SecurityAssociation out = outbound(clock).softLifetime(Lifetime.ofSeconds(30))
                .hardLifetime(Lifetime.ofSeconds(120)).build();
        sad.add(shortLived);
        sad.add(longLived);
        sad.add(out);

        assertEquals(List.of(), sad.expire(T0.plusSeconds(59)));
        assertEquals(List.of(shortLived), sad.expire(T0.plusSeconds(60)));
        assertNull(sad.inbound(0x2000));
        assertEquals(List.of(out), sad.expire(T0.plusSeconds(120)));
        assertEquals(List.of(longLived), sad.all());
        assertEquals(List.of(), sad.expire(T0.plusSeconds(121)));
    }
}
