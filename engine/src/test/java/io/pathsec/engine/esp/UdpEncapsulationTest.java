package io.pathsec.engine.esp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpEncapsulationTest {

    private static ByteBuf of(int... octets) {
        ByteBuf b = Unpooled.buffer();
        for (int o : octets) {
            b.writeByte(o);
        }
        return b;
    }

    @Test
    void natKeepaliveIsOneOctetFF() {
        assertTrue(UdpEncapsulation.isNatKeepalive(of(0xFF)));
        assertFalse(UdpEncapsulation.isNatKeepalive(of(0xFF, 0xFF)));
        assertFalse(UdpEncapsulation.isNatKeepalive(of(0x00)));
        assertFalse(UdpEncapsulation.isEsp(of(0xFF)));
        assertFalse(UdpEncapsulation.isIke(of(0xFF)));
    }

    @Test
    void ikeCarriesTheNonEspMarker() {
        ByteBuf ike = of(0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertTrue(UdpEncapsulation.isIke(ike));
        assertFalse(UdpEncapsulation.isEsp(ike));
        assertEquals(0, ike.readerIndex(), "nothing consumed");
    }

    @Test
    void espHasANonZeroSpiAndAtLeastEightOctets() {
        assertTrue(UdpEncapsulation.isEsp(of(0, 0, 0x43, 0x21, 0, 0, 0, 1)));
        assertFalse(UdpEncapsulation.isEsp(of(0, 0, 0x43, 0x21, 0, 0, 0)));
        assertFalse(UdpEncapsulation.isIke(of(0, 0, 0x43, 0x21, 0, 0, 0, 1)));
        assertFalse(UdpEncapsulation.isIke(of(0, 0, 0)));
        ByteBuf offset = of(9, 9, 0, 0, 0, 1, 0, 0, 0, 1).skipBytes(2);
        assertTrue(UdpEncapsulation.isEsp(offset), "reads at the reader index");
        assertEquals(4500, UdpEncapsulation.PORT);
    }
}
