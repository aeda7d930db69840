package io.pathsec.engine.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressRangeTest {

    private static boolean contains(String range, String address) {
        byte[] bytes = AddressRange.parseAddress(address).getAddress();
        // A 16-byte buffer as FlowKey keeps it: only the first addressLength bytes count.
        byte[] buffer = new byte[16];
        System.arraycopy(bytes, 0, buffer, 0, bytes.length);
        buffer[bytes.length == 4 ? 4 : 15] ^= (byte) (bytes.length == 4 ? 0x5a : 0);
        return AddressRange.parse(range).contains(buffer, bytes.length);
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "192.0.2.0/24, 192.0.1.255, false",
            "192.0.2.0/24, 192.0.2.0, true",
            "192.0.2.0/24, 192.0.2.255, true",
            "192.0.2.0/24, 192.0.3.0, false",
            "192.0.2.0/24, 2001:db8::c000:200, false",
            "198.51.100.1-198.51.100.9, 198.51.100.0, false",
            "198.51.100.1-198.51.100.9, 198.51.100.1, true",
            "198.51.100.1-198.51.100.9, 198.51.100.9, true",
            "198.51.100.1-198.51.100.10, 198.51.100.10, true",
            "198.51.100.1-198.51.100.9, 198.51.100.10, false",
            // Unsigned comparison: 128 and above are not negative.
            "10.0.0.0-200.0.0.0, 128.0.0.1, true",
            "10.0.0.0-200.0.0.0, 201.0.0.0, false",
            "0.0.0.0/0, 255.255.255.255, true",
            "0.0.0.0/0, ::1, false",
            "any, 192.0.2.1, true",
            "any, 2001:db8::1, true",
            "::/0, 2001:db8::1, true",
            "::/0, 192.0.2.1, false",
            "2001:db8::/32, 2001:db8::, true",
            "2001:db8::/32, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
            "2001:db8::/32, 2001:db9::, false",
            "2001:db8::/32, 2001:db7:ffff:ffff:ffff:ffff:ffff:ffff, false",
            "2001:db8:a::/64, 2001:db8:a:0:8000::1, true",
            "2001:db8::1-2001:db8::ff, 2001:db8::100, false",
            "192.0.2.7, 192.0.2.7, true",
            "192.0.2.7, 192.0.2.8, false",
            "192.0.2.7/32, 192.0.2.7, true",
    })
    void containsAtTheEdges(String range, String address, boolean expected) {
        assertEquals(expected, contains(range, address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"any", "192.0.2.0/24", "0.0.0.0/0", "::/0", "2001:db8::/32",
            "198.51.100.1-198.51.100.9", "192.0.2.7", "2001:db8:a::1", "2001:db8::1-2001:db8::ff",
            "fe80::/10", "::1"})
    void toStringParsesBack(String text) {
        AddressRange range = AddressRange.parse(text);
        assertEquals(text, range.toString());
        assertEquals(range, AddressRange.parse(range.toString()));
    }

    @Test
    void ipv6IsPrintedInCanonicalForm() {
        assertEquals("2001:db8::1:0:0:1", AddressRange.parse("2001:0db8:0:0:1:0:0:1").toString());
        assertEquals("2001:db8:0:1:1:1:1:1", AddressRange.parse("2001:db8:0:1:1:1:1:1").toString());
        assertEquals("::", AddressRange.parse("::").toString());
    }

    @Test
    void familiesAndShapes() {
        assertSame(AddressRange.ANY, AddressRange.parse(" ANY "));
        assertEquals(0, AddressRange.ANY.family());
        assertEquals(4, AddressRange.parse("0.0.0.0/0").family());
        assertEquals(6, AddressRange.parse("::/0").family());
        assertTrue(AddressRange.parse("192.0.2.1/32").isSingle());
        assertEquals(24, AddressRange.parse("192.0.2.0/24").prefixLength());
        assertEquals(-1, AddressRange.parse("192.0.2.1-192.0.2.2").prefixLength());
        assertEquals(AddressRange.parse("192.0.2.0/31"), AddressRange.parse("192.0.2.0-192.0.2.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.0.0.1",
            "010.0.0.1", "1.2.3.-4", "fe80::1%eth0", "::ffff:192.0.2.1", "2001:db8:::1", "g::1",
            "192.0.2.0/33", "2001:db8::/129", "192.0.2.0/", "192.0.2.9-192.0.2.1",
            "192.0.2.1-2001:db8::1", ""})
    void rejectsWhatIsNotALiteral(String text) {
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(text));
    }

    @Test
    void rejectsHostBitsAndNamesTheNetwork() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AddressRange.parse("192.0.2.5/24"));
        assertTrue(e.getMessage().contains("192.0.2.0/24"), e.getMessage());
    }

    @Test
    void containsInetAddress() {
        assertTrue(AddressRange.parse("2001:db8::/32").contains(AddressRange.parseAddress("2001:db8::5")));
        assertFalse(AddressRange.parse("2001:db8::/32").contains(AddressRange.parseAddress("192.0.2.1")));
    }
}
