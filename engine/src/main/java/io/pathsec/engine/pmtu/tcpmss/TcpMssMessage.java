package io.pathsec.engine.pmtu.tcpmss;

import java.nio.ByteBuffer;

/**
 * The three messages of a TCP-MSS exchange (docs/tcp-mss.md has the layout).
 * Every message starts with the same 8-octet header and ends with a 32-octet transcript MAC
 * ({@link TcpMssTranscript}); each type has one fixed length, so a reader knows how many octets
 * to wait for and anything else is malformed. Integers are in network byte order.
 *
 * <pre>
 *   header:  magic "PSMS" (4) | version 1 (1) | type (1) | total length (2)
 *   HELLO          (1, 72 octets, initiator):  header | IKE SPIi (8) | IKE SPIr (8) | challenge (16) | MAC
 *   RESPONDER_MSS  (2, 60 octets, responder):  header | challenge (16) | observed MSS (2) | reserved 0 (2) | MAC
 *   INITIATOR_MSS  (3, 44 octets, initiator):  header | observed MSS (2) | reserved 0 (2) | MAC
 * </pre>
 */
sealed interface TcpMssMessage {
    int MAGIC = 0x50534d53; // "PSMS"
    int VERSION = 1;
    int HEADER_LENGTH = 8;
    int CHALLENGE_LENGTH = 16;
    /** The smallest MSS accepted: an IPv4 path of 104 octets; PMTU floors then apply. */
    int MIN_MSS = 64;
    /** The field's largest value (Linux announces 65496 on its 65536-octet loopback). */
    int MAX_MSS = 65535;

    /** The message type, its wire value and total length (header and MAC included). */
    enum Type {
        HELLO(1, 72),
        RESPONDER_MSS(2, 60),
        INITIATOR_MSS(3, 44);

        final int value;
        final int length;

        Type(int value, int length) {
            this.value = value;
            this.length = length;
        }
    }

    Type type();

    /** The message without its MAC: what {@link TcpMssTranscript#seal} completes. */
    byte[] body();

    /** The initiator names the IKE SA and brings a challenge. */
    record Hello(long initiatorSpi, long responderSpi, byte[] challenge) implements TcpMssMessage {
        public Hello {
            checkChallenge(challenge);
        }

        @Override
        public Type type() {
            return Type.HELLO;
        }

        @Override
        public byte[] body() {
            return header(type()).putLong(initiatorSpi).putLong(responderSpi).put(challenge).array();
        }
    }

    /** The responder's own challenge and the MSS it observed on the connection. */
    record ResponderMss(byte[] challenge, int observedMss) implements TcpMssMessage {
        public ResponderMss {
            checkChallenge(challenge);
            checkMss(observedMss);
        }

        @Override
        public Type type() {
            return Type.RESPONDER_MSS;
        }

        @Override
        public byte[] body() {
            return header(type()).put(challenge).putShort((short) observedMss).putShort((short) 0).array();
        }
    }

    /** The MSS the initiator observed on the connection. */
    record InitiatorMss(int observedMss) implements TcpMssMessage {
        public InitiatorMss {
            checkMss(observedMss);
        }

        @Override
        public Type type() {
            return Type.INITIATOR_MSS;
        }

        @Override
        public byte[] body() {
            return header(type()).putShort((short) observedMss).putShort((short) 0).array();
        }
    }

    /**
     * Parses a whole message of the {@code expected} type (MAC included, not checked here: the
     * transcript does that, once the key is known).
     */
    static TcpMssMessage decode(byte[] message, Type expected) throws TcpMssException {
        if (message.length != expected.length) {
            throw malformed(expected + " of " + message.length + " octets, expected " + expected.length);
        }
        ByteBuffer b = ByteBuffer.wrap(message);
        int magic = b.getInt();
        int version = b.get() & 0xff;
        int type = b.get() & 0xff;
        int length = b.getShort() & 0xffff;
        if (magic != MAGIC || version != VERSION || type != expected.value || length != expected.length) {
            throw malformed(String.format("header magic %08x version %d type %d length %d, expected %s",
                    magic, version, type, length, expected));
        }
        try {
            return switch (expected) {
                case HELLO -> new Hello(b.getLong(), b.getLong(), take(b, CHALLENGE_LENGTH));
                case RESPONDER_MSS -> new ResponderMss(take(b, CHALLENGE_LENGTH), b.getShort() & 0xffff);
                case INITIATOR_MSS -> new InitiatorMss(b.getShort() & 0xffff);
            };
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
    }

    /** A fresh challenge: makes each transcript unique, so no message verifies in another one. */
    static byte[] newChallenge(java.security.SecureRandom random) {
        byte[] challenge = new byte[CHALLENGE_LENGTH];
        random.nextBytes(challenge);
        return challenge;
    }

    private static ByteBuffer header(Type type) {
        return ByteBuffer.allocate(type.length - TcpMssTranscript.MAC_LENGTH)
                .putInt(MAGIC).put((byte) VERSION).put((byte) type.value).putShort((short) type.length);
    }

    private static byte[] take(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static void checkChallenge(byte[] challenge) {
        if (challenge.length != CHALLENGE_LENGTH) {
            throw new IllegalArgumentException("challenge of " + challenge.length + " octets");
        }
    }

    private static void checkMss(int mss) {
        if (mss < MIN_MSS || mss > MAX_MSS) {
            throw new IllegalArgumentException("MSS " + mss + " outside " + MIN_MSS + ".." + MAX_MSS);
        }
    }

    private static TcpMssException malformed(String why) {
        return new TcpMssException(TcpMssRejection.MALFORMED, why);
    }
}
