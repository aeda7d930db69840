package io.pathsec.engine.esp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EspTransformTest {

    @Test
    void strongSwanNamesAndEnumNamesResolve() {
        assertEquals(EspTransform.AES_GCM_16_128, EspTransform.fromName("aes128gcm16"));
        assertEquals(EspTransform.AES_GCM_16_256, EspTransform.fromName("AES256GCM16"));
        assertEquals(EspTransform.CHACHA20_POLY1305, EspTransform.fromName("chacha20poly1305"));
        assertEquals(EspTransform.AES_CBC_128_HMAC_SHA2_256_128, EspTransform.fromName("aes128-sha256"));
        assertEquals(EspTransform.AES_CBC_256_HMAC_SHA2_256_128, EspTransform.fromName("aes256-sha256"));
        for (EspTransform t : EspTransform.values()) {
            assertEquals(t, EspTransform.fromName(t.name()));
            assertEquals(t, EspTransform.fromName(t.ikeName()));
        }
    }

    @Test
    void unknownNamesListTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EspTransform.fromName("3des-md5"));
        assertTrue(e.getMessage().contains("3des-md5"));
        for (EspTransform t : EspTransform.values()) {
            assertTrue(e.getMessage().contains(t.ikeName()), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> EspTransform.fromName(null));
    }

    @Test
    void sizesFollowTheRfcs() {
        assertEquals(20, EspTransform.AES_GCM_16_128.keyMaterialLength());
        assertEquals(36, EspTransform.AES_GCM_16_256.keyMaterialLength());
        assertEquals(36, EspTransform.CHACHA20_POLY1305.keyMaterialLength());
        assertEquals(48, EspTransform.AES_CBC_128_HMAC_SHA2_256_128.keyMaterialLength());
        assertEquals(64, EspTransform.AES_CBC_256_HMAC_SHA2_256_128.keyMaterialLength());
        for (EspTransform t : EspTransform.values()) {
            assertEquals(16, t.icvLength());
            assertEquals(t.isAead() ? 8 : 16, t.ivLength());
            assertEquals(t.isAead() ? 4 : 16, t.blockSize());
        }
    }
}
