package io.pathsec.engine.pmtu.tcpmss;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The TCP-MSS messages and their transcript MAC: a whole exchange round-trips between two
 * transcripts with the same key; a changed bit, a wrong key, a message out of its place, wrong
 * SPIs (seen by the responder's lookup, see {@link TcpMssExchangeTest}) and short or long input
 * are refused with their reason.
 */
class TcpMssMessageTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] CI = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
    private static final byte[] CR = HexFormat.of().parseHex("b0b1b2b3b4b5b6b7b8b9babbbcbdbebf");

    /** The three messages of one exchange, as the initiator sealed them. */
    private record Exchange(byte[] hello, byte[] responderMss, byte[] initiatorMss) {
    }

    private static Exchange exchange() throws TcpMssException {
        TcpMssTranscript initiator = new TcpMssTranscript(KEY);
        TcpMssTranscript responder = new TcpMssTranscript(KEY);
        byte[] hello = initiator.seal(new TcpMssMessage.Hello(0x1122334455667788L, 0x99aabbccddeeff00L, CI).body());
        responder.open(hello);
        byte[] m2 = responder.seal(new TcpMssMessage.ResponderMss(CR, 1300).body());
        initiator.open(m2);
        byte[] m3 = initiator.seal(new TcpMssMessage.InitiatorMss(1460).body());
        responder.open(m3);
        return new Exchange(hello, m2, m3);
    }

    @Test
    void wholeExchangeRoundTripsWithTheLayoutOfTheDocs() throws Exception {
        Exchange x = exchange();
        assertEquals(72, x.hello.length);
        assertEquals(60, x.responderMss.length);
        assertEquals(44, x.initiatorMss.length);
        assertEquals("50534d53", HexFormat.of().formatHex(x.hello, 0, 4), "magic PSMS");
        assertEquals("01010048" + "1122334455667788" + "99aabbccddeeff00" + HexFormat.of().formatHex(CI),
                HexFormat.of().formatHex(x.hello, 4, 40));
        assertEquals("0102003c" + HexFormat.of().formatHex(CR) + "0514" + "0000",
                HexFormat.of().formatHex(x.responderMss, 4, 28));
        TcpMssMessage.Hello hello = (TcpMssMessage.Hello) TcpMssMessage.decode(x.hello, TcpMssMessage.Type.HELLO);
        assertEquals(0x1122334455667788L, hello.initiatorSpi());
        assertEquals(0x99aabbccddeeff00L, hello.responderSpi());
        assertArrayEquals(CI, hello.challenge());
        assertEquals(1300, ((TcpMssMessage.ResponderMss) TcpMssMessage.decode(x.responderMss,
                TcpMssMessage.Type.RESPONDER_MSS)).observedMss());
        assertEquals(1460, ((TcpMssMessage.InitiatorMss) TcpMssMessage.decode(x.initiatorMss,
                TcpMssMessage.Type.INITIATOR_MSS)).observedMss());
    }

    @Test
    void everyFlippedBitOfEveryMessageFailsTheMac() throws Exception {
        Exchange x = exchange();
        byte[][] messages = {x.hello, x.responderMss, x.initiatorMss};
        for (int m = 0; m < messages.length; m++) {
            for (int bit = 0; bit < messages[m].length * 8; bit++) {
                TcpMssTranscript receiver = new TcpMssTranscript(KEY);
                for (int earlier = 0; earlier < m; earlier++) {
                    receiver.open(messages[earlier]);
                }
                byte[] tampered = messages[m].clone();
                tampered[bit / 8] ^= (byte) (1 << (bit % 8));
                TcpMssException e = assertThrows(TcpMssException.class, () -> receiver.open(tampered));
                assertEquals(TcpMssRejection.BAD_MAC, e.reason());
            }
        }
    }

    @Test
    void wrongKeyFailsTheMac() throws Exception {
        byte[] otherKey = KEY.clone();
        otherKey[31] ^= 1;
        TcpMssException e = assertThrows(TcpMssException.class, () -> new TcpMssTranscript(otherKey).open(exchange().hello));
        assertEquals(TcpMssRejection.BAD_MAC, e.reason());
    }

    @Test
    void messageOutOfItsPlaceFailsTheMac() throws Exception {
        Exchange x = exchange();
        // The responder's answer replayed into a fresh exchange: its MAC covered another HELLO.
        TcpMssTranscript fresh = new TcpMssTranscript(KEY);
        fresh.seal(new TcpMssMessage.Hello(0x1122334455667788L, 0x99aabbccddeeff00L, CR).body());
        assertEquals(TcpMssRejection.BAD_MAC, assertThrows(TcpMssException.class, () -> fresh.open(x.responderMss)).reason());
        // INITIATOR_MSS without the RESPONDER_MSS before it.
        TcpMssTranscript skipped = new TcpMssTranscript(KEY);
        skipped.open(x.hello);
        assertEquals(TcpMssRejection.BAD_MAC, assertThrows(TcpMssException.class, () -> skipped.open(x.initiatorMss)).reason());
    }

    @Test
    void truncatedLongAndMislabelledInputIsMalformed() throws Exception {
        Exchange x = exchange();
        for (int n = 0; n < x.hello.length; n++) {
            byte[] cut = Arrays.copyOf(x.hello, n);
            assertEquals(TcpMssRejection.MALFORMED, assertThrows(TcpMssException.class,
                    () -> TcpMssMessage.decode(cut, TcpMssMessage.Type.HELLO)).reason());
        }
        byte[] longer = Arrays.copyOf(x.hello, x.hello.length + 1);
        assertEquals(TcpMssRejection.MALFORMED, assertThrows(TcpMssException.class,
                () -> TcpMssMessage.decode(longer, TcpMssMessage.Type.HELLO)).reason());
        assertEquals(TcpMssRejection.MALFORMED, assertThrows(TcpMssException.class,
                () -> TcpMssMessage.decode(x.responderMss, TcpMssMessage.Type.HELLO)).reason(), "a wrong type");
        assertEquals(TcpMssRejection.MALFORMED, assertThrows(TcpMssException.class,
                () -> new TcpMssTranscript(KEY).open(new byte[5])).reason());
        for (int offset : new int[] {0, 4, 5, 6}) { // magic, version, type, length
            byte[] bad = x.initiatorMss.clone();
            bad[offset] ^= 0x40;
            assertEquals(TcpMssRejection.MALFORMED, assertThrows(TcpMssException.class,
                    () -> TcpMssMessage.decode(bad, TcpMssMessage.Type.INITIATOR_MSS)).reason(), "header octet " + offset);
        }
        byte[] tinyMss = x.initiatorMss.clone();
        tinyMss[8] = 0;
        tinyMss[9] = 10;
        assertEquals(TcpMssRejection.MALFORMED, assertThrows(TcpMssException.class,
                () -> TcpMssMessage.decode(tinyMss, TcpMssMessage.Type.INITIATOR_MSS)).reason(), "an MSS of 10");
    }

    @Test
    void pathMtuIsTheSmallerMssPlusHeadersWithTimestampsAddedBack() {
        assertEquals(1300, ObservedMss.announced(1288, true), "TCP_MAXSEG without the 12-octet timestamp option");
        assertEquals(1300, ObservedMss.announced(1300, false));
        assertEquals(1340, ObservedMss.pathMtu(1300, 1460, false));
        assertEquals(1360, ObservedMss.pathMtu(1460, 1300, true));
    }
}
