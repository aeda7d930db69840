package io.pathsec.engine.ike.crypto;

import io.pathsec.engine.ike.message.IkeIdPayload;
import io.pathsec.engine.ike.message.PrfAlgorithm;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key derivation checked against an independent computation with the JDK's HMAC, written
 * out step by step from RFC 7296 §2.13-§2.18 (no published vectors exist for these).
 */
class IkeKeyMaterialTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Prf PRF = Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_256);
    private static final byte[] NI = HEX.parseHex("00112233445566778899aabbccddeeff");
    private static final byte[] NR = HEX.parseHex("ffeeddccbbaa99887766554433221100");
    private static final byte[] GIR = HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

    private static byte[] hmac(byte[] key, byte[]... data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] d : data) {
            mac.update(d);
        }
        return mac.doFinal();
    }

    @Test
    void skeyseedAndSevenKeys() throws Exception {
        byte[] skeyseed = IkeKeyMaterial.skeyseed(PRF, NI, NR, GIR);
        assertArrayEquals(hmac(KeyBytes.concat(NI, NR), GIR), skeyseed);

        // AES-CBC-256 with HMAC-SHA2-256-128: 3*32 + 2*32 + 2*32 = 224 octets, 7 prf+ blocks.
        IkeKeyMaterial keys = IkeKeyMaterial.derive(PRF, skeyseed, NI, NR, 0x0102030405060708L, 0x1112131415161718L, 32, 32);
        byte[] seed = KeyBytes.concat(NI, NR, HEX.parseHex("01020304050607081112131415161718"));
        byte[] stream = new byte[0];
        byte[] t = new byte[0];
        for (int n = 1; n <= 7; n++) {
            t = hmac(skeyseed, t, seed, new byte[] {(byte) n});
            stream = KeyBytes.concat(stream, t);
        }
        byte[][] expected = new byte[7][];
        for (int i = 0; i < 7; i++) {
            expected[i] = Arrays.copyOfRange(stream, 32 * i, 32 * (i + 1));
        }
        assertArrayEquals(expected[0], keys.skD());
        assertArrayEquals(expected[1], keys.skAi());
        assertArrayEquals(expected[2], keys.skAr());
        assertArrayEquals(expected[3], keys.skEi());
        assertArrayEquals(expected[4], keys.skEr());
        assertArrayEquals(expected[5], keys.skPi());
        assertArrayEquals(expected[6], keys.skPr());
    }

    @Test
    void aeadHasNoIntegrityKeysAndSaltedEncryptionKeys() {
        IkeKeyMaterial keys = IkeKeyMaterial.derive(PRF, new byte[32], NI, NR, 1, 2, 0, 36);
        assertEquals(0, keys.skAi().length);
        assertEquals(36, keys.skEi().length);
        assertEquals(32, keys.skPr().length);
    }

    @Test
    void rekeyedSkeyseedAndChildKeymat() throws Exception {
        byte[] oldSkD = HEX.parseHex("0101010101010101010101010101010101010101010101010101010101010101");
        assertArrayEquals(hmac(oldSkD, GIR, NI, NR), IkeKeyMaterial.rekeyedSkeyseed(PRF, oldSkD, GIR, NI, NR));
        byte[] keymat = IkeKeyMaterial.childKeymat(PRF, oldSkD, null, NI, NR, 40);
        assertArrayEquals(Arrays.copyOf(hmac(oldSkD, NI, NR, new byte[] {1}), 32), Arrays.copyOf(keymat, 32));
        byte[] pfs = IkeKeyMaterial.childKeymat(PRF, oldSkD, GIR, NI, NR, 32);
        assertArrayEquals(hmac(oldSkD, GIR, NI, NR, new byte[] {1}), pfs);
    }

    @Test
    void pskAuthFollowsSection215() throws Exception {
        byte[] skPi = new byte[32];
        Arrays.fill(skPi, (byte) 7);
        IkeIdPayload id = IkeIdPayload.ofFqdn(true, "client.example");
        byte[] realMessage = HEX.parseHex("aabbccdd");
        byte[] octets = PskAuthentication.signedOctets(PRF, realMessage, NR, skPi, id);
        byte[] idBody = KeyBytes.concat(HEX.parseHex("02000000"), "client.example".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(KeyBytes.concat(realMessage, NR, hmac(skPi, idBody)), octets);

        byte[] secret = "correct horse".getBytes(StandardCharsets.UTF_8);
        byte[] auth = PskAuthentication.authData(PRF, secret, octets);
        assertArrayEquals(hmac(hmac(secret, "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII)), octets), auth);
        assertTrue(PskAuthentication.verify(PRF, secret, octets, auth));
        auth[0] ^= 1;
        assertTrue(!PskAuthentication.verify(PRF, secret, octets, auth));
    }

    @Test
    void natDetectionHashIsSha1OfSpisAddressPort() throws Exception {
        byte[] hash = NatDetection.hash(0x0102030405060708L, 0, InetAddress.getByName("192.0.2.1"), 500);
        byte[] input = ByteBuffer.allocate(22).putLong(0x0102030405060708L).putLong(0)
                .put(new byte[] {(byte) 192, 0, 2, 1}).putShort((short) 500).array();
        assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(input), hash);
        assertEquals(20, NatDetection.hash(1, 2, InetAddress.getByName("2001:db8::1"), 4500).length);
    }

    @Test
    void extensionKeyIsPrfPlusOverSkDWithTheLabelBeforeTheNonces() throws Exception {
        byte[] skD = HEX.parseHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
        byte[] label = "PathSec TCP-MSS 1".getBytes(StandardCharsets.US_ASCII);
        byte[] seed = ByteBuffer.allocate(label.length + NI.length + NR.length).put(label).put(NI).put(NR).array();
        byte[] t1 = hmac(skD, seed, new byte[] {1});
        byte[] t2 = hmac(skD, t1, seed, new byte[] {2});
        byte[] expected = Arrays.copyOf(ByteBuffer.allocate(64).put(t1).put(t2).array(), 40);
        assertArrayEquals(expected, IkeKeyMaterial.extensionKey(PRF, skD, label, NI, NR, 40));
        byte[] keymat = IkeKeyMaterial.childKeymat(PRF, skD, null, NI, NR, 40);
        assertTrue(!Arrays.equals(keymat, expected), "the label keeps it apart from CHILD_SA KEYMAT (§2.17)");
    }
}
