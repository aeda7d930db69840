package io.pathsec.engine.gateway;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gateway profiles from JSON: defaults, and errors that name what is wrong. */
class IkeGatewayServiceTest {

    @Test
    void minimalProfileGetsDefaults() {
        IkeGatewayProfile p = IkeGatewayService.parse("""
                {"listen": "198.51.100.130", "localId": "gw.pathsec.test", "psk": "secret-0123456789",
                 "pool": "10.201.0.0/24", "protectedSubnets": ["203.0.113.0/24"], "dpdDelaySeconds": 5}
                """);
        assertEquals("gw", p.name());
        assertEquals(32, p.cookieThreshold());
        assertFalse(p.allowTransportMode());
        assertEquals(Duration.ofSeconds(5), p.timers().dpdDelay());
        assertTrue(p.toString().contains("psk hidden") && !p.toString().contains("secret-0123456789"));
    }

    @Test
    void hostToHostProfileNeedsNoPool() {
        IkeGatewayProfile p = IkeGatewayService.parse("""
                {"listen": "198.51.100.130", "localId": "g2", "psk": "s", "protectedSubnets": ["198.51.100.130/32"],
                 "allowTransportMode": true}
                """);
        assertNull(p.pool());
        assertTrue(p.allowTransportMode());
    }

    @Test
    void errorsSayWhatIsMissingOrWrong() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> IkeGatewayService.parse(
                "{\"listen\": \"198.51.100.130\", \"psk\": \"s\"}"));
        assertEquals("a gateway profile needs listen and protectedSubnets", missing.getMessage());
        IllegalArgumentException noPsk = assertThrows(IllegalArgumentException.class, () -> IkeGatewayService.parse(
                "{\"listen\": \"198.51.100.130\", \"localId\": \"g\", \"protectedSubnets\": [\"203.0.113.0/24\"]}"));
        assertTrue(noPsk.getMessage().startsWith("psk: missing"), noPsk.getMessage());
        IllegalArgumentException pool = assertThrows(IllegalArgumentException.class, () -> IkeGatewayService.parse("""
                {"listen": "198.51.100.130", "localId": "g", "psk": "s", "protectedSubnets": ["203.0.113.0/24"],
                 "pool": "10.201.0.0/33"}
                """));
        assertTrue(pool.getMessage().startsWith("pool '10.201.0.0/33' is not an address prefix"), pool.getMessage());
        IllegalArgumentException cookies = assertThrows(IllegalArgumentException.class, () -> IkeGatewayService.parse("""
                {"listen": "198.51.100.130", "localId": "g", "psk": "s", "protectedSubnets": ["203.0.113.0/24"],
                 "cookieThreshold": -1}
                """));
        assertEquals("cookieThreshold must be 0 or more, not -1", cookies.getMessage());
        IllegalArgumentException group = assertThrows(IllegalArgumentException.class, () -> IkeGatewayService.parse("""
                {"listen": "198.51.100.130", "localId": "g", "psk": "s", "protectedSubnets": ["203.0.113.0/24"],
                 "dhGroups": ["ECP_999"]}
                """));
        assertEquals("unknown Diffie-Hellman group 'ECP_999'", group.getMessage());
    }
}
