package io.pathsec.engine.esp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Arbitrary bytes into inbound decryption, for every transform, ESN or not, in heap and direct
 * buffers: only {@link EspException} may escape. Regression mode runs in {@code mvn test};
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class EspDecryptFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void inboundDecryptThrowsOnlyEspException(FuzzedDataProvider data) {
        EspTransform t = data.pickValue(EspTransform.values());
        boolean esn = data.consumeBoolean();
        boolean direct = data.consumeBoolean();
        long seqHigh = esn ? data.consumeInt() & 0xFFFF_FFFFL : 0;
        byte[] packet = data.consumeRemainingAsBytes();
        ByteBuf buf = direct ? Unpooled.directBuffer(packet.length + 1) : Unpooled.buffer(packet.length + 1);
        buf.writeBytes(packet);
        long seq = packet.length >= 8 ? (seqHigh << 32) | EspCodec.sequenceLow32(buf) : 0;
        EspCodec codec = EspCodec.inbound(t, EspCodecTest.keyMaterial(t), packet.length >= 4 ? EspCodec.spi(buf) : 0, esn);
        try {
            int nextHeader = codec.decrypt(buf, seq);
            if (nextHeader < 0 || nextHeader > 255 || buf.readableBytes() > packet.length) {
                throw new AssertionError("impossible result " + nextHeader + ", " + buf.readableBytes());
            }
        } catch (EspException expected) {
            // the only outcome allowed for garbage
        } finally {
            buf.release();
        }
    }
}
