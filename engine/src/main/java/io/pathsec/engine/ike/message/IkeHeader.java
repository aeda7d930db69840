package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

/**
 * The fixed 28-octet IKE header (RFC 7296 §3.1).
 *
 * @param initiatorSpi  IKE SA Initiator's SPI
 * @param responderSpi  IKE SA Responder's SPI, 0 in the first IKE_SA_INIT request
 * @param nextPayload   type of the first payload
 * @param exchangeType  the exchange this message belongs to
 * @param initiator     I flag: sent by the original initiator of the IKE SA
 * @param version       V flag: sender can speak a higher major version (always false for us)
 * @param response      R flag: this message is a response
 * @param messageId     Message ID, compared unsigned
 * @param length        total length of the message, header included
 */
public record IkeHeader(long initiatorSpi, long responderSpi, int nextPayload, ExchangeType exchangeType,
                        boolean initiator, boolean version, boolean response, int messageId, int length) {
    public static final int LENGTH = 28;
    /** Major/minor version 2.0 in one octet (§3.1). */
    public static final int VERSION_2_0 = 0x20;

    private static final int FLAG_INITIATOR = 0x08;
    private static final int FLAG_VERSION = 0x10;
    private static final int FLAG_RESPONSE = 0x20;

    /** The same header with another next-payload and length, as the encoder fills them in. */
    public IkeHeader withChain(int newNextPayload, int newLength) {
        return new IkeHeader(initiatorSpi, responderSpi, newNextPayload, exchangeType, initiator, version,
                response, messageId, newLength);
    }

    /**
     * Decodes the header at the reader index (consumed). The major version is checked before
     * anything else: §2.5 says a message with a higher major version must be answered with
     * INVALID_MAJOR_VERSION, whatever the rest looks like.
     */
    public static IkeHeader decode(ByteBuf in) throws IkeProtocolException {
        if (in.readableBytes() < LENGTH) {
            throw new InvalidSyntaxException("IKE header truncated: " + in.readableBytes() + " octets");
        }
        int start = in.readerIndex();
        int major = in.getUnsignedByte(start + 17) >> 4;
        if (major != 2) {
            throw new InvalidMajorVersionException(major);
        }
        long spiI = in.readLong();
        long spiR = in.readLong();
        int next = in.readUnsignedByte();
        in.skipBytes(1); // version, checked above; the minor version is ignored (§2.5)
        int exchange = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int messageId = in.readInt();
        long length = in.readUnsignedInt();
        ExchangeType type = ExchangeType.fromValue(exchange)
                .orElseThrow(() -> new InvalidSyntaxException("unknown exchange type " + exchange));
        if (length < LENGTH || length > Integer.MAX_VALUE) {
            throw new InvalidSyntaxException("IKE header length " + length + " out of range");
        }
        return new IkeHeader(spiI, spiR, next, type, (flags & FLAG_INITIATOR) != 0, (flags & FLAG_VERSION) != 0,
                (flags & FLAG_RESPONSE) != 0, messageId, (int) length);
    }

    public void encode(ByteBuf out) {
        out.writeLong(initiatorSpi);
        out.writeLong(responderSpi);
        out.writeByte(nextPayload);
        out.writeByte(VERSION_2_0);
        out.writeByte(exchangeType.value());
        out.writeByte((initiator ? FLAG_INITIATOR : 0) | (version ? FLAG_VERSION : 0) | (response ? FLAG_RESPONSE : 0));
        out.writeInt(messageId);
        out.writeInt(length);
    }
}
