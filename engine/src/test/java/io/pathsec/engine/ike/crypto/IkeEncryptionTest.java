package io.pathsec.engine.ike.crypto;

import io.pathsec.engine.ike.message.EncryptionAlgorithm;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNoncePayload;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.IntegrityAlgorithm;
import io.pathsec.engine.ike.message.InvalidSyntaxException;
import io.pathsec.engine.ike.message.NotifyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IkeEncryptionTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 7634 Appendix B: an INFORMATIONAL request protected with ChaCha20-Poly1305. */
    private static final String RFC7634_KEY = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f" + "a0a1a2a3";
    private static final String RFC7634_MESSAGE = "c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d7" + "2e202500" + "00000009" + "00000045"
            + "29000029" + "1011121314151617" + "610394701f8d017f7c129248896b71bfe25236efd7cdc67066906315b2";

    private static IkeEncryption chacha(String iv) {
        return IkeEncryption.create(EncryptionAlgorithm.ENCR_CHACHA20_POLY1305, 256, IntegrityAlgorithm.NONE,
                HEX.parseHex(RFC7634_KEY), new byte[0], new FixedRandom(iv));
    }

    @Test
    void rfc7634AppendixBDecrypts() throws Exception {
        IkeMessage message = chacha("00").decryptMessage(HEX.parseHex(RFC7634_MESSAGE));
        assertEquals(ExchangeType.INFORMATIONAL, message.header().exchangeType());
        assertEquals(9, message.header().messageId());
        IkeNotifyPayload notify = (IkeNotifyPayload) message.payloads().get(0);
        assertEquals(NotifyType.SET_WINDOW_SIZE, notify.type().orElseThrow());
        assertEquals("0000000a", HEX.formatHex(notify.data()));
    }

    @Test
    void rfc7634AppendixBEncryptsToTheSameOctets() {
        IkeHeader header = new IkeHeader(0xc0c1c2c3c4c5c6c7L, 0xd0d1d2d3d4d5d6d7L, 0, ExchangeType.INFORMATIONAL,
                false, false, false, 9, 0);
        byte[] sealed = chacha("1011121314151617").encryptMessage(header,
                List.of(IkeNotifyPayload.of(NotifyType.SET_WINDOW_SIZE, HEX.parseHex("0000000a"))));
        assertEquals(RFC7634_MESSAGE, HEX.formatHex(sealed));
    }

    @Test
    void rfc7634TamperedMessageFailsTheIcv() {
        byte[] message = HEX.parseHex(RFC7634_MESSAGE);
        message[20] ^= 1; // message ID is associated data
        assertThrows(IkeIntegrityException.class, () -> chacha("00").decryptMessage(message));
        byte[] body = HEX.parseHex(RFC7634_MESSAGE);
        body[body.length - 20] ^= 1;
        assertThrows(IkeIntegrityException.class, () -> chacha("00").decryptMessage(body));
    }

    /**
     * McGrew-Viega GCM test cases 4 (AES-128) and 16 (AES-256) in the RFC 4106/5282 form: the
     * last 4 key octets are the salt, the 8-octet IV follows. Opening checks the tag; sealing
     * (which appends the Pad Length octet) must produce the same keystream.
     */
    @Test
    void gcmMcGrewViegaVectors() throws Exception {
        String iv = "facedbaddecaf888";
        byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] plain = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        String[][] cases = {
                {"feffe9928665731c6d6a8f9467308308cafebabe", "128",
                        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e0915bc94fbc3221a5db94fae95ae7121a47"},
                {"feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308cafebabe", "256",
                        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f66276fc6ece0f4e1768cddf8853bb2d551b"}};
        for (String[] c : cases) {
            IkeEncryption gcm = IkeEncryption.create(EncryptionAlgorithm.ENCR_AES_GCM_16, Integer.parseInt(c[1]),
                    IntegrityAlgorithm.NONE, HEX.parseHex(c[0]), new byte[0], new FixedRandom(iv));
            byte[] expected = HEX.parseHex(c[2]);
            // The vector's last plaintext octet (0x39) reads as Pad Length 57 once opened as an SK body.
            byte[] opened = gcm.open(aad, HEX.parseHex(iv + c[2]));
            assertArrayEquals(Arrays.copyOf(plain, plain.length - 1 - 0x39), opened);
            byte[] sealed = gcm.seal(aad, plain);
            assertEquals(iv, HEX.formatHex(Arrays.copyOf(sealed, 8)));
            assertArrayEquals(Arrays.copyOf(expected, plain.length), Arrays.copyOfRange(sealed, 8, 8 + plain.length));
        }
    }

    @ParameterizedTest
    @EnumSource(value = IntegrityAlgorithm.class, names = {"AUTH_HMAC_SHA2_256_128", "AUTH_HMAC_SHA2_384_192", "AUTH_HMAC_SHA2_512_256"})
    void cbcHmacRoundTripAndTamper(IntegrityAlgorithm integrity) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] encr = new byte[32];
        byte[] integ = new byte[IkeEncryption.integrityKeyLength(integrity)];
        random.nextBytes(encr);
        random.nextBytes(integ);
        IkeEncryption cbc = IkeEncryption.create(EncryptionAlgorithm.ENCR_AES_CBC, 256, integrity, encr, integ, random);
        IkeHeader header = new IkeHeader(1, 2, 0, ExchangeType.IKE_AUTH, true, false, false, 1, 0);
        List<IkePayload> inner = List.of(new IkeNoncePayload(new byte[17]), IkeNotifyPayload.of(NotifyType.INITIAL_CONTACT));
        byte[] datagram = cbc.encryptMessage(header, inner);
        assertEquals(28 + 4 + 16 + 32 + integ.length / 2, datagram.length); // 21 + 8 octets of chain + Pad Length pad to 32
        IkeMessage opened = cbc.decryptMessage(datagram);
        assertArrayEquals(IkeMessage.encodeChain(inner), IkeMessage.encodeChain(opened.payloads()));
        for (int position : new int[] {3, 28, 40, datagram.length - 1}) {
            byte[] tampered = datagram.clone();
            tampered[position] ^= (byte) 0x80;
            assertThrows(IkeIntegrityException.class, () -> cbc.decryptMessage(tampered), "flip at " + position);
        }
    }

    @Test
    void aeadIvsNeverRepeat() {
        IkeEncryption gcm = IkeEncryption.create(EncryptionAlgorithm.ENCR_AES_GCM_16, 128, IntegrityAlgorithm.NONE,
                new byte[20], new byte[0], new FixedRandom("00000000000000ff"));
        byte[] first = gcm.seal(new byte[0], new byte[1]);
        byte[] second = gcm.seal(new byte[0], new byte[1]);
        assertEquals("00000000000000ff", HEX.formatHex(Arrays.copyOf(first, 8)));
        assertEquals("0000000000000100", HEX.formatHex(Arrays.copyOf(second, 8)));
    }

    @Test
    void padLengthBeyondPlaintextIsInvalidSyntax() {
        assertThrows(InvalidSyntaxException.class, () -> CbcHmacIkeEncryption.stripPadding(new byte[] {1, 2, 5}));
    }

    @Test
    void keyLengthsPerTransform() {
        assertEquals(20, IkeEncryption.encryptionKeyLength(EncryptionAlgorithm.ENCR_AES_GCM_16, 128));
        assertEquals(36, IkeEncryption.encryptionKeyLength(EncryptionAlgorithm.ENCR_AES_GCM_16, 256));
        assertEquals(36, IkeEncryption.encryptionKeyLength(EncryptionAlgorithm.ENCR_CHACHA20_POLY1305, 0));
        assertEquals(32, IkeEncryption.encryptionKeyLength(EncryptionAlgorithm.ENCR_AES_CBC, 256));
        assertEquals(48, IkeEncryption.integrityKeyLength(IntegrityAlgorithm.AUTH_HMAC_SHA2_384_192));
    }
}
