package io.pathsec.engine.esp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static io.pathsec.engine.esp.Hex.bytes;
import static io.pathsec.engine.esp.Hex.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whole ESP packets from the standards, opened by the codec and rebuilt bit for bit with the
 * vector's IV.
 */
class EspKnownAnswerTest {

    /**
     * draft-mcgrew-gcm-test-01 §4 (the RFC 4106 test cases): key, nonce = salt || explicit IV,
     * AAD = SPI || [seq high] || seq low (12 octets means ESN), plaintext = payload || padding ||
     * pad length || next header, ciphertext || ICV. The 192-bit-key case is left out.
     */
    static Stream<Arguments> mcgrewGcmCases() {
        return Stream.of(
                gcm("case 1 (ESN)", "4c80cdefbb5d10da906ac73c3613a634", "2e443b684956ed7e3b244cfe",
                        "000043218765432100000000",
                        "45000048699a000080114db7c0a80102c0a801010a9bf15638d301000001000000000000045f736970045f756470037369700963796265726369747902646b000021000101020201",
                        "fecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ceac34cfa2436f14a3f3cf65925bf1f4a13c5d15b21e1884f5ff6247aeabb786b93bce61bc17d768fd9732459018148f6cbe722fd04796562dfdb4"),
                gcm("case 2", "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
                        "0000a5f80000000a",
                        "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d001000001000000000000037369700963796265726369747902646b00000100010001",
                        "deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd183b70d3aa8bc6ee4c309e9d85a41ad4a"),
                gcm("case 3 (AES-256)", "abbccddef00112233445566778899aababbccddef00112233445566778899aab",
                        "112233440102030405060708", "4a2cbfe300000002",
                        "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee0000000007002400020bf0000020405b40101040201020201",
                        "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763748a637985771d347f0545659f14e99def842d8eb335f4eecfdbf831824b4c4915956c96"),
                gcm("case 4 (zero key)", "00000000000000000000000000000000", "000000000000000000000000",
                        "0000000000000001",
                        "4500003c99c500008001cb7a40679318010101010800075c020044006162636465666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
                        "4688daf2f973a392732909c331d56d60f694abaa414b5e7ff5fdcdfff5e9a284456476492719ffb64de7d9dca1e1d894bc3bd57873ed4d181d19d4d5c8c18af3f821d496eeb096e98ad2b69e4799c71d"),
                gcm("case 5 (ESN)", "3de09874b388e6491988d0c3607eae1f", "57690e434e280000a2fca1a3",
                        "42f67e3f1010101010101010",
                        "4500003c99c300008001cb7c40679318010101010800085c020043006162636465666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
                        "fba2caa4853cf9f0f22cb10d86dd83b0fec75691cf1a04b00d1138ec9c35791765acbd8701ad79845bf9fe3fba487bc91755e6662b4c8d0d1f5e22739530320ae0d731cc978ecafaeae88f00e80d6e48"),
                gcm("case 6 (ESN, short)", "3de09874b388e6491988d0c3607eae1f", "57690e434e280000a2fca1a3",
                        "42f67e3f1010101010101010",
                        "4500001c42a200008001441f406793b6e00000020a00f5ff01020201",
                        "fba2ca845e5df9f0f22c3e6e86dd831e1fc65792cd1af9130e1379ed369f071f35e034be95f112e4e7d05d35"),
                gcm("case 8 (ESN)", "abbccddef00112233445566778899aab", "decaf888cafedebaceface74",
                        "000001000000000000000001",
                        "4500004933ba00007f119106c3fb1d10c2b1d326c02831ce0035dd7b800302d500004e20001e8c18d75b81dc91baa0476b91b924b280389d92c963bac046ec959b6266c04722b14923010101",
                        "18a6fd42f72cbf4ab2a2ea901f73d814e3e7f243d95412e1c349c1d2fbec168f9190feebaf2cb01984e65863965d7472b79da345e0e780191f0d2f0e0f496c226f2127b27db35724e7845d68651f57e65f354f75ff17015769623436"),
                gcm("case 9 (AES-256, ESN)", "abbccddef00112233445566778899aababbccddef00112233445566778899aab",
                        "73616c74616e640169766563", "17405e67156f3126dd0db99b",
                        "45080028732c00004006e9f90a0106120a01038f06b88023dd6bafbecb71260250101f646d540001",
                        "f2d69ecdbd5a0d5b8d5ef38bad4da58d1f278fde98ef67549d524a3018d9a57ff4d3a31ce673119e451626c2415771e3b7eebca614c89b35"),
                gcm("case 10 (ESN)", "3de09874b388e6491988d0c3607eae1f", "57690e434e280000a2fca1a3",
                        "42f67e3f1010101010101010",
                        "45000049333e00007f119182c3fb1d10c2b1d326c02831ce0035cb458003025b000001e0001e8c18d65759d52284a0352c71475c8880391c764d6e5ee0496b325ae270c03899493915010101",
                        "fba2cad12fc1f9f00d3cebf305410db83d7784b607323d220f24b0a97d54182800cadb0f68d99ef0e0c0c89ae9bea8884e52d65bc1afd0740f742444747b5b39ab533163aad4550ee5160975cdb608c5769189609763b8e18caa81e2"),
                gcm("case 11 (AES-256, ESN)", "abbccddef00112233445566778899aababbccddef00112233445566778899aab",
                        "73616c74616e640169766563", "17405e67156f3126dd0db99b",
                        "636973636f0172756c657301746865016e6574776501646566696e6501746865746563686e6f6c6f67696573017468617477696c6c01646566696e65746f6d6f72726f7701020201",
                        "d4b7ed86a1777f2ea13d6973d324c69e7b43f826fb56831226508bebd2dceb18d0a6df10e5487df074113e14c641024e3e6773d91a62ee429b043a10e3efe6b012a49363412364f8c0cac587f249e56b11e24f30e44ccc76"),
                gcm("case 12 (empty payload)", "7d773d00c144c525ac619d18c84a3f47", "d966426743457e9182443bc6",
                        "335467aeffffffff", "01020201",
                        "437f866bcb3f699fe9b0822bac961c4504bef270"),
                gcm("case 13 (ESN)", "abbccddef00112233445566778899aab", "decaf888cafedebaceface74",
                        "000001000000000000000001", "746f016265016f72016e6f7401746f0162650001",
                        "29c9fc69a197d038ccdd14e2ddfcaa0543332164412503524303ed3c6c5f283843af8c3e"),
                gcm("case 14 (AES-256, ESN, seq 2^64-1)",
                        "6c6567616c697a656d6172696a75616e61616e64646f69746265666f72656961",
                        "7475726e333021696765746d", "796b6963ffffffffffffffff",
                        "45000030da3a00008001df3bc0a80005c0a800010800c6cd020007006162636465666768696a6b6c6d6e6f707172737401020201",
                        "f97ab2aa356d8edce17644ac8c78e25dd24dedbb29ebf1b64a274b39b49c3a864cd3d78ca4ae68a32b42458fb57dbe821dcc63b9d0937ba2945f669368661a329fb4c053"));
    }

    private static Arguments gcm(String name, String key, String nonce, String aad, String plaintext,
                                 String ciphertextAndTag) {
        byte[] k = bytes(key);
        byte[] n = bytes(nonce);
        EspTransform t = k.length == 16 ? EspTransform.AES_GCM_16_128 : EspTransform.AES_GCM_16_256;
        return Arguments.of(name, t, concat(k, Arrays.copyOf(n, 4)), Arrays.copyOfRange(n, 4, 12),
                bytes(aad), bytes(plaintext), bytes(ciphertextAndTag));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mcgrewGcmCases")
    void mcgrewGcmPacketsDecryptAndReencryptBitForBit(String name, EspTransform t, byte[] keyMaterial, byte[] iv,
                                                       byte[] aad, byte[] plaintext, byte[] sealed) throws Exception {
        boolean esn = aad.length == 12;
        long seqHigh = esn ? unsigned(aad, 4) : 0;
        long seqLow = unsigned(aad, aad.length - 4);
        long seq = seqHigh << 32 | seqLow;
        byte[] header = concat(Arrays.copyOf(aad, 4), Arrays.copyOfRange(aad, aad.length - 4, aad.length));
        byte[] packet = concat(header, iv, sealed);
        checkPacket(t, keyMaterial, esn, seq, packet, plaintext);
    }

    /** RFC 7634 Appendix A: an ESP packet with ChaCha20-Poly1305, tunnel mode, no ESN. */
    @Test
    void rfc7634AppendixAChaCha20Poly1305Packet() throws Exception {
        byte[] keyMaterial = bytes("""
                80 81 82 83 84 85 86 87 88 89 8a 8b 8c 8d 8e 8f
                90 91 92 93 94 95 96 97 98 99 9a 9b 9c 9d 9e 9f
                a0 a1 a2 a3""");
        byte[] plaintext = bytes("""
                45 00 00 54 a6 f2 00 00 40 01 e7 78 c6 33 64 05
                c0 00 02 05 08 00 5b 7a 3a 08 00 00 55 3b ec 10
                00 07 36 27 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13
                14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23
                24 25 26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33
                34 35 36 37 01 02 02 04""");
        byte[] packet = bytes("""
                01 02 03 04 00 00 00 05 10 11 12 13 14 15 16 17
                24 03 94 28 b9 7f 41 7e 3c 13 75 3a 4f 05 08 7b
                67 c3 52 e6 a7 fa b1 b9 82 d4 66 ef 40 7a e5 c6
                14 ee 80 99 d5 28 44 eb 61 aa 95 df ab 4c 02 f7
                2a a7 1e 7c 4c 4f 64 c9 be fe 2f ac c6 38 e8 f3
                cb ec 16 3f ac 46 9b 50 27 73 f6 fb 94 e6 64 da
                91 65 b8 28 29 f6 41 e0 76 aa a8 26 6b 7f b0 f7
                b1 1b 36 99 07 e1 ad 43""");
        checkPacket(EspTransform.CHACHA20_POLY1305, keyMaterial, false, 5, packet, plaintext);
    }

    /**
     * RFC 3602 §4 cases 5–8: AES-CBC-128 ESP packets (no ICV in the RFC). The ICV is appended
     * with HMAC-SHA-256-128 under an integrity key of our own, which RFC 4868's vectors check
     * separately ({@link TruncatedHmacSha256Test}).
     */
    static Stream<Arguments> rfc3602Cases() {
        String key56 = "90d382b410eeba7ad938c46cec1a82bf";
        String key78 = "0123456789abcdef0123456789abcdef";
        return Stream.of(
                Arguments.of("case 5 (transport, ICMP)", key56, 1,
                        "08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
                        "0000432100000001e96e8c08ab465763fd098d45dd3ff893f663c25d325c18c6a9453e194e120849a4870b66cc6b9965330013b4898dc856a4699e523a55db080b59ec3a8e4b7e52775b07d1db34ed9c538ab50c551b874aa269add047ad2d5913ac19b7cfbad4a6"),
                Arguments.of("case 6 (transport, ICMP)", key56, 1,
                        "0800b5e8a80a0500a69c083d0b660e00777777777777777777777777",
                        "000043210000000869d08df7d203329db093fc4924e5bd80f51995881ec4e0c4488987ce742e8109689bb379d2d750c0d915dca346a89f75"),
                Arguments.of("case 7 (tunnel)", key78, 4,
                        "45000054090400004001f988c0a87b03c0a87bc808009f76a90a0100b49c083d02a2040008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
                        "0000876500000002f4e765244f6407adf13dc1380f673f37773b5241a4c449225e4f3ce5ed611b0c237ca96cf74a93013c1b0ea1a0cf70f8e4ecaec78ac53aad7a0f022b859243c647752e94a859352b8a4d4d2decd136e5c177f132ad3fbfb2201ac9904c74ee0a109e0ca1e4dfe9d5a100b842f1c22f0d"),
                Arguments.of("case 8 (tunnel)", key78, 4,
                        "45000044090c00004001f990c0a87b03c0a87bc80800d63caa0a0200c69c083da3de0300ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                        "000087650000000585d47224b5f3dd5d2101d4ea8dffab2215b92683819596a8047232cc00f7048fe45318e11f8a0f62ede3c3fc61203bb50f980a08c9843fd3a1b06d5c07ff9639b7eb7dfb3512e5de435e7207ed971ef3d2726d9b5ef6affc6d17a0decbb13892"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc3602Cases")
    void rfc3602AesCbcPacketsWithHmacSha256Icv(String name, String encryptionKey, int nextHeader, String payload,
                                               String espWithoutIcv) throws Exception {
        byte[] integrityKey = new byte[32];
        Arrays.fill(integrityKey, (byte) 0x5a);
        byte[] keyMaterial = concat(bytes(encryptionKey), integrityKey);
        byte[] unsigned = bytes(espWithoutIcv);
        byte[] icv = new TruncatedHmacSha256(integrityKey, 0).icv(unsigned);
        byte[] packet = concat(unsigned, icv);
        long seq = unsigned(packet, 4);
        byte[] p = bytes(payload);
        int plaintextLength = unsigned.length - 8 - 16;
        int padLength = plaintextLength - p.length - 2;
        byte[] trailer = new byte[padLength + 2];
        for (int i = 0; i < padLength; i++) {
            trailer[i] = (byte) (i + 1);
        }
        trailer[padLength] = (byte) padLength;
        trailer[padLength + 1] = (byte) nextHeader;
        checkPacket(EspTransform.AES_CBC_128_HMAC_SHA2_256_128, keyMaterial, false, seq, packet, concat(p, trailer));
    }

    /**
     * Opens {@code packet} with an inbound codec and checks payload and next header against
     * {@code plaintext} (payload || padding || pad length || next header); then encrypts the
     * payload with the packet's IV and checks every octet of the result.
     */
    private static void checkPacket(EspTransform t, byte[] keyMaterial, boolean esn, long seq, byte[] packet,
                                    byte[] plaintext) throws Exception {
        int spi = (int) unsigned(packet, 0);
        int nextHeader = plaintext[plaintext.length - 1] & 0xFF;
        int padLength = plaintext[plaintext.length - 2] & 0xFF;
        byte[] payload = Arrays.copyOf(plaintext, plaintext.length - 2 - padLength);

        ByteBuf in = Unpooled.wrappedBuffer(packet.clone());
        EspCodec inbound = EspCodec.inbound(t, keyMaterial, spi, esn);
        assertEquals(nextHeader, inbound.decrypt(in, seq));
        assertEquals(Hex.of(payload), Hex.readable(in));

        EspCodec outbound = EspCodec.outbound(t, keyMaterial, spi, 0, esn);
        ByteBuf out = Unpooled.buffer(packet.length + 64);
        out.writerIndex(outbound.headroom()).readerIndex(outbound.headroom());
        out.writeBytes(payload);
        byte[] iv = Arrays.copyOfRange(packet, 8, 8 + t.ivLength());
        outbound.encrypt(out, nextHeader, seq, iv);
        assertEquals(Hex.of(packet), Hex.readable(out));
        assertEquals(packet.length, outbound.overhead(payload.length) + payload.length);
    }

    private static long unsigned(byte[] b, int off) {
        return ((b[off] & 0xFFL) << 24) | ((b[off + 1] & 0xFFL) << 16) | ((b[off + 2] & 0xFFL) << 8) | (b[off + 3] & 0xFFL);
    }
}
