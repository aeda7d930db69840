package io.pathsec.engine.esp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EspCodecTest {
    private static final int SPI = 0xC0FFEE01;

    static byte[] keyMaterial(EspTransform t) {
        byte[] k = new byte[t.keyMaterialLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 7 + 3);
        }
        return k;
    }

    /** A buffer holding {@code payload} with exactly the headroom and tailroom the codec asks for. */
    static ByteBuf payloadBuffer(EspCodec codec, byte[] payload, boolean direct) {
        int capacity = codec.headroom() + payload.length + codec.tailroom(payload.length);
        ByteBuf buf = direct ? Unpooled.directBuffer(capacity, capacity) : Unpooled.buffer(capacity, capacity);
        buf.writerIndex(codec.headroom()).readerIndex(codec.headroom());
        buf.writeBytes(payload);
        return buf;
    }

    static byte[] readable(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }

    static byte[] randomPayload(Random random, int length) {
        byte[] p = new byte[length];
        random.nextBytes(p);
        return p;
    }

    @ParameterizedTest
    @EnumSource(EspTransform.class)
    void roundTripsEveryPayloadSizeFrom0To2000InHeapAndDirectBuffers(EspTransform t) throws Exception {
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
        EspCodec in = EspCodec.inbound(t, keyMaterial(t), SPI);
        Random random = new Random(t.ordinal());
        long seq = 1;
        for (int size = 0; size <= 2000; size++) {
            for (boolean direct : new boolean[] {false, true}) {
                byte[] payload = randomPayload(random, size);
                ByteBuf buf = payloadBuffer(out, payload, direct);
                out.encrypt(buf, 41, seq);
                assertEquals(size + out.overhead(size), buf.readableBytes());
                assertEquals(0, buf.writableBytes(), "tailroom() is exact without TFC");
                assertEquals(0, buf.readableBytes() % 4, "RFC 4303 §2.4: 32-bit alignment");
                assertEquals(SPI, EspCodec.spi(buf));
                assertEquals(seq, EspCodec.sequenceLow32(buf));
                assertEquals(41, in.decrypt(buf, seq));
                assertArrayEquals(payload, readable(buf));
                buf.release();
                seq++;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EspTransform.class)
    void extendedSequenceNumbersAcrossTwoToThe32(EspTransform t) throws Exception {
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
        EspCodec in = EspCodec.inbound(t, keyMaterial(t), SPI);
        ReplayWindow window = new ReplayWindow(1024, true);
        window.accept(0xFFFF_FF00L);
        for (long seq = 0xFFFF_FFFEL; seq <= 0x1_0000_0002L; seq++) {
            ByteBuf buf = payloadBuffer(out, new byte[] {1, 2, 3}, false);
            out.encrypt(buf, 4, seq);
            assertEquals(seq & 0xFFFF_FFFFL, EspCodec.sequenceLow32(buf), "only the low 32 bits are sent");
            long inferred = window.check(EspCodec.sequenceLow32(buf));
            assertEquals(seq, inferred);
            assertEquals(4, in.decrypt(buf, inferred));
            assertTrue(window.accept(inferred));
        }
    }

    @ParameterizedTest
    @EnumSource(EspTransform.class)
    void theHighHalfOfTheSequenceNumberIsAuthenticated(EspTransform t) throws Exception {
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
        EspCodec in = EspCodec.inbound(t, keyMaterial(t), SPI);
        ByteBuf buf = payloadBuffer(out, new byte[] {9, 9, 9}, false);
        out.encrypt(buf, 4, 0x1_0000_0005L);
        EspException e = assertThrows(EspException.class, () -> in.decrypt(buf, 0x2_0000_0005L));
        assertEquals(EspException.Reason.AUTHENTICATION_FAILED, e.reason());
    }

    @ParameterizedTest
    @EnumSource(EspTransform.class)
    void esnAndNonEsnSasDoNotInteroperate(EspTransform t) throws Exception {
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0, false);
        ByteBuf buf = payloadBuffer(out, new byte[] {1}, false);
        out.encrypt(buf, 4, 7);
        ByteBuf copy = buf.copy();
        assertEquals(4, EspCodec.inbound(t, keyMaterial(t), SPI, false).decrypt(buf, 7));
        EspException e = assertThrows(EspException.class,
                () -> EspCodec.inbound(t, keyMaterial(t), SPI, true).decrypt(copy, 7));
        assertEquals(EspException.Reason.AUTHENTICATION_FAILED, e.reason());
    }

    @ParameterizedTest
    @EnumSource(EspTransform.class)
    void aTamperedOctetAnywhereFailsAuthentication(EspTransform t) throws Exception {
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
        EspCodec in = EspCodec.inbound(t, keyMaterial(t), SPI);
        long seq = 0x3_0000_0010L;
        ByteBuf buf = payloadBuffer(out, randomPayload(new Random(1), 61), false);
        out.encrypt(buf, 4, seq);
        byte[] packet = readable(buf);
        for (int i = 0; i < packet.length; i++) {
            byte[] tampered = packet.clone();
            tampered[i] ^= 0x01;
            ByteBuf candidate = Unpooled.wrappedBuffer(tampered);
            // The data path infers seq from the (possibly tampered) low 32 bits on the wire.
            long inferred = (seq & 0xFFFF_FFFF_0000_0000L) | EspCodec.sequenceLow32(candidate);
            EspException e = assertThrows(EspException.class, () -> in.decrypt(candidate, inferred), "octet " + i);
            assertEquals(EspException.Reason.AUTHENTICATION_FAILED, e.reason(), "octet " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(EspTransform.class)
    void truncatedPacketsRaiseOnlyEspException(EspTransform t) throws Exception {
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
        EspCodec in = EspCodec.inbound(t, keyMaterial(t), SPI);
        ByteBuf buf = payloadBuffer(out, randomPayload(new Random(2), 100), false);
        out.encrypt(buf, 4, 77);
        byte[] packet = readable(buf);
        int minimum = in.headroom() + 2 + t.icvLength();
        for (int length = 0; length < packet.length; length++) {
            ByteBuf truncated = Unpooled.wrappedBuffer(Arrays.copyOf(packet, length));
            EspException e = assertThrows(EspException.class, () -> in.decrypt(truncated, 77), "length " + length);
            if (length < minimum) {
                assertEquals(EspException.Reason.MALFORMED, e.reason(), "length " + length);
            } else {
                assertTrue(e.reason() == EspException.Reason.MALFORMED
                        || e.reason() == EspException.Reason.AUTHENTICATION_FAILED, "length " + length);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EspTransform.class)
    void aForgedPacketWithTheNextIvDoesNotBlockTheGenuineOne(EspTransform t) throws Exception {
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
        EspCodec in = EspCodec.inbound(t, keyMaterial(t), SPI);
        ByteBuf genuine = payloadBuffer(out, new byte[] {1, 2, 3, 4}, false);
        out.encrypt(genuine, 4, 8);
        ByteBuf forged = genuine.copy();
        forged.setByte(forged.writerIndex() - 1, forged.getByte(forged.writerIndex() - 1) ^ 0x80);
        for (int i = 0; i < 2; i++) {
            ByteBuf attempt = forged.copy();
            EspException e = assertThrows(EspException.class, () -> in.decrypt(attempt, 8));
            assertEquals(EspException.Reason.AUTHENTICATION_FAILED, e.reason());
        }
        assertEquals(4, in.decrypt(genuine, 8));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, readable(genuine));
    }

    @Test
    void aSequenceNumberThatIsNotThePacketsIsMalformed() throws Exception {
        EspTransform t = EspTransform.AES_GCM_16_256;
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
        ByteBuf buf = payloadBuffer(out, new byte[] {1}, false);
        out.encrypt(buf, 4, 10);
        EspException e = assertThrows(EspException.class,
                () -> EspCodec.inbound(t, keyMaterial(t), SPI).decrypt(buf, 11));
        assertEquals(EspException.Reason.MALFORMED, e.reason());
    }

    @ParameterizedTest
    @EnumSource(EspTransform.class)
    void paddingOtherThanOneTwoThreeIsRejectedAfterTheIcvVerified(EspTransform t) throws Exception {
        int block = t.blockSize();
        // payload of 5 octets, then padding whose last octet is wrong
        int plaintextLength = (5 + 2 + block - 1) / block * block;
        int padLength = plaintextLength - 5 - 2;
        if (padLength == 0) {
            plaintextLength += block;
            padLength += block;
        }
        byte[] plaintext = new byte[plaintextLength];
        for (int i = 0; i < padLength; i++) {
            plaintext[5 + i] = (byte) (i + 1);
        }
        plaintext[5 + padLength - 1] = 0x7F;
        plaintext[plaintextLength - 2] = (byte) padLength;
        plaintext[plaintextLength - 1] = 4;
        assertEquals(EspException.Reason.BAD_PADDING, openHandBuilt(t, plaintext).reason());

        byte[] tooLong = new byte[block == 4 ? 8 : 16];
        tooLong[tooLong.length - 2] = (byte) 200;
        tooLong[tooLong.length - 1] = 4;
        assertEquals(EspException.Reason.BAD_PADDING, openHandBuilt(t, tooLong).reason());
    }

    /** Seals {@code plaintext} (trailer included) with the cipher directly and opens it with the codec. */
    private static EspException openHandBuilt(EspTransform t, byte[] plaintext) throws Exception {
        int headroom = 8 + t.ivLength();
        ByteBuffer packet = ByteBuffer.allocate(headroom + plaintext.length + t.icvLength());
        packet.putInt(0, SPI).putInt(4, 3);
        packet.put(headroom, plaintext);
        EspCipher cipher = t.isAead() ? (t == EspTransform.CHACHA20_POLY1305
                ? AeadEspCipher.chaCha20Poly1305(keyMaterial(t), true) : AeadEspCipher.aesGcm(keyMaterial(t), true))
                : new CbcHmacEspCipher(keyMaterial(t), t.keyMaterialLength() - 32, true);
        cipher.writeIv(packet, 3);
        cipher.seal(packet, plaintext.length, 0);
        ByteBuf buf = Unpooled.wrappedBuffer(packet.array());
        return assertThrows(EspException.class, () -> EspCodec.inbound(t, keyMaterial(t), SPI).decrypt(buf, 3));
    }

    @ParameterizedTest
    @EnumSource(EspTransform.class)
    void tfcPaddingFillsTunnelModePayloadsOnly(EspTransform t) throws Exception {
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 1000);
        EspCodec in = EspCodec.inbound(t, keyMaterial(t), SPI);
        byte[] ipPacket = randomPayload(new Random(3), 100);
        ByteBuf buf = payloadBuffer(out, ipPacket, true);
        out.encrypt(buf, 4, 1);
        assertEquals(1000 + out.overhead(1000) , buf.readableBytes());
        assertEquals(out.overhead(100) + 100, buf.readableBytes(), "overhead() counts TFC padding");
        assertEquals(4, in.decrypt(buf, 1));
        byte[] padded = readable(buf);
        assertEquals(1000, padded.length, "TFC padding stays: the inner IP length marks the end (§2.7)");
        assertArrayEquals(ipPacket, Arrays.copyOf(padded, 100));
        assertArrayEquals(new byte[900], Arrays.copyOfRange(padded, 100, 1000));

        ByteBuf transport = payloadBuffer(out, ipPacket, false);
        out.encrypt(transport, 17, 2);
        assertEquals(17, in.decrypt(transport, 2));
        assertArrayEquals(ipPacket, readable(transport), "no TFC padding without an inner length");

        ByteBuf large = payloadBuffer(out, new byte[1200], false);
        out.encrypt(large, 41, 3);
        assertEquals(41, in.decrypt(large, 3));
        assertEquals(1200, large.readableBytes(), "payloads longer than tfcPadTo are not cut");
    }

    @ParameterizedTest
    @EnumSource(EspTransform.class)
    void dummyPacketsDecryptToNextHeader59(EspTransform t) throws Exception {
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
        ByteBuf buf = payloadBuffer(out, new byte[0], false);
        out.encrypt(buf, 59, 42);
        assertEquals(59, EspCodec.inbound(t, keyMaterial(t), SPI).decrypt(buf, 42));
        assertEquals(0, buf.readableBytes());
    }

    @ParameterizedTest
    @EnumSource(EspTransform.class)
    void compositeBuffersRoundTripThroughTheScratchCopy(EspTransform t) throws Exception {
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
        EspCodec in = EspCodec.inbound(t, keyMaterial(t), SPI);
        byte[] payload = randomPayload(new Random(4), 300);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.wrappedBuffer(new byte[out.headroom()]));
        composite.addComponent(true, Unpooled.wrappedBuffer(payload.clone()));
        composite.addComponent(true, Unpooled.buffer(out.tailroom(300)).writerIndex(0));
        composite.capacity(out.headroom() + 300 + out.tailroom(300));
        composite.readerIndex(out.headroom());
        assertTrue(composite.nioBufferCount() > 1);
        out.encrypt(composite, 4, 9);

        ByteBuf reference = payloadBuffer(EspCodec.outbound(t, keyMaterial(t), SPI, 0), payload, false);
        EspCodec.outbound(t, keyMaterial(t), SPI, 0).encrypt(reference, 4, 9);
        assertArrayEquals(readable(reference), readable(composite));

        assertEquals(4, in.decrypt(composite, 9));
        assertArrayEquals(payload, readable(composite));
    }

    @Test
    void overheadMatchesTheBuildNotesFigureForAesGcm() {
        EspCodec gcm = EspCodec.outbound(EspTransform.AES_GCM_16_256, keyMaterial(EspTransform.AES_GCM_16_256), SPI, 0);
        // 1400-byte path − 20 IP − 8 UDP = 1372 of ESP, carrying at most 1338 octets (BUILD-NOTES.md).
        assertEquals(1372, 1338 + gcm.overhead(1338));
        assertTrue(1339 + gcm.overhead(1339) > 1372);
    }

    @Test
    void roomConstantsCoverEveryTransform() {
        for (EspTransform t : EspTransform.values()) {
            EspCodec c = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
            assertTrue(c.headroom() <= EspCodec.MAX_HEADROOM);
            for (int len = 0; len < 64; len++) {
                assertTrue(c.tailroom(len) <= EspCodec.MAX_TAILROOM);
            }
        }
        assertEquals(24, EspCodec.MAX_HEADROOM);
    }

    @Test
    void theCbcIvIsUnpredictableNotTheCounter() throws Exception {
        EspTransform t = EspTransform.AES_CBC_256_HMAC_SHA2_256_128;
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
        ByteBuf a = payloadBuffer(out, new byte[16], false);
        ByteBuf b = payloadBuffer(out, new byte[16], false);
        out.encrypt(a, 4, 1);
        out.encrypt(b, 4, 2);
        byte[] ivA = Arrays.copyOfRange(readable(a), 8, 24);
        byte[] ivB = Arrays.copyOfRange(readable(b), 8, 24);
        assertNotEquals(Hex.of(ivA), Hex.of(ivB));
        byte[] counter = new byte[16];
        counter[15] = 1;
        assertNotEquals(Hex.of(counter), Hex.of(ivA));
    }

    @Test
    void misuseIsReportedClearly() {
        EspTransform t = EspTransform.AES_GCM_16_128;
        assertThrows(IllegalArgumentException.class, () -> EspCodec.outbound(t, new byte[16], SPI, 0));
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
        ByteBuf noHeadroom = Unpooled.buffer(64).writeBytes(new byte[8]);
        assertThrows(IllegalArgumentException.class, () -> out.encrypt(noHeadroom, 4, 1));
        assertThrows(IllegalStateException.class, () -> out.decrypt(noHeadroom, 1));
    }

    @Test
    void reusingASequenceNumberForEncryptionIsRefusedByTheJdk() throws Exception {
        EspTransform t = EspTransform.AES_GCM_16_128;
        EspCodec out = EspCodec.outbound(t, keyMaterial(t), SPI, 0);
        out.encrypt(payloadBuffer(out, new byte[4], false), 4, 5);
        EspException e = assertThrows(EspException.class, () -> out.encrypt(payloadBuffer(out, new byte[4], false), 4, 5));
        assertEquals(EspException.Reason.CIPHER_FAILURE, e.reason());
    }
}
