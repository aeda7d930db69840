package io.pathsec.engine.ike.message;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any octets given to the decoder either decode, and then re-encode and decode to the same
 * octets, or fail with a typed {@link IkeProtocolException}; nothing unchecked escapes.
 * Without JAZZER_FUZZ set this runs the seeds only (regression mode).
 */
class IkeMessageFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decodeNeverThrowsUnchecked(byte[] datagram) {
        IkeMessage message;
        try {
            message = IkeMessage.decode(datagram);
        } catch (IkeProtocolException expected) {
            return;
        }
        byte[] again = message.toBytes();
        try {
            IkeMessage.decode(again);
        } catch (IkeProtocolException e) {
            throw new AssertionError("re-encoded message does not decode", e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void decodeInnerNeverThrowsUnchecked(byte[] chain) {
        if (chain.length == 0) {
            return;
        }
        try {
            IkeMessage.decodeInnerPayloads(chain[0] & 0xff, java.util.Arrays.copyOfRange(chain, 1, chain.length));
        } catch (IkeProtocolException expected) {
            // typed rejection is fine
        }
    }
}
