package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An IKE message: header and ordered payloads (RFC 7296 §3). Only the cleartext part is
 * handled here; an SK payload stays opaque until {@code ike.crypto} decrypts it and
 * {@link #decodeInnerPayloads} decodes what was inside.
 */
public record IkeMessage(IkeHeader header, List<IkePayload> payloads) {
    public IkeMessage {
        payloads = List.copyOf(payloads);
        for (int i = 0; i < payloads.size() - 1; i++) {
            if (payloads.get(i) instanceof IkeSkPayload || payloads.get(i) instanceof IkeSkfPayload) {
                throw new IllegalArgumentException("SK/SKF must be the last payload (RFC 7296 §3.14)");
            }
        }
    }

    /**
     * Decodes one whole datagram. The header's length must match the readable bytes exactly:
     * a shorter datagram is truncated, a longer one has trailing garbage, both INVALID_SYNTAX.
     */
    public static IkeMessage decode(ByteBuf datagram) throws IkeProtocolException {
        ByteBuf in = datagram.duplicate();
        int available = in.readableBytes();
        IkeHeader header = IkeHeader.decode(in);
        if (header.length() != available) {
            throw new InvalidSyntaxException("header length " + header.length() + " but datagram has " + available);
        }
        List<IkePayload> payloads = decodeChain(header.nextPayload(), new BodyReader(in, "message"));
        return new IkeMessage(header, payloads);
    }

    public static IkeMessage decode(byte[] datagram) throws IkeProtocolException {
        return decode(Unpooled.wrappedBuffer(datagram));
    }

    /**
     * Decodes the payload chain found inside a decrypted SK payload (or reassembled SKF
     * fragments). The first type comes from the SK payload's Next Payload field (§3.14).
     */
    public static List<IkePayload> decodeInnerPayloads(int firstPayloadType, byte[] plaintext) throws IkeProtocolException {
        List<IkePayload> inner = decodeChain(firstPayloadType, new BodyReader(Unpooled.wrappedBuffer(plaintext), "SK"));
        for (IkePayload p : inner) {
            if (p instanceof IkeSkPayload || p instanceof IkeSkfPayload) {
                throw new InvalidSyntaxException("encrypted payload nested inside SK");
            }
        }
        return inner;
    }

    private static List<IkePayload> decodeChain(int firstType, BodyReader in) throws IkeProtocolException {
        List<IkePayload> payloads = new ArrayList<>();
        int type = firstType;
        while (type != PayloadType.NO_NEXT_PAYLOAD.value()) {
            int next = in.u8();
            boolean critical = (in.u8() & 0x80) != 0;
            int length = in.u16();
            if (length < IkePayload.GENERIC_HEADER_LENGTH) {
                throw new InvalidSyntaxException("payload type " + type + " with length " + length);
            }
            BodyReader body = in.sub(length - IkePayload.GENERIC_HEADER_LENGTH, "payload type " + type);
            IkePayload payload = IkePayloadFactory.decode(type, next, critical, body);
            payloads.add(payload);
            if (payload instanceof IkeSkPayload || payload instanceof IkeSkfPayload) {
                // Its Next Payload field named the inner chain; nothing may follow in cleartext.
                break;
            }
            type = next;
        }
        if (in.remaining() != 0) {
            throw new InvalidSyntaxException(in.remaining() + " octets after the last payload");
        }
        return payloads;
    }

    /** Encodes header and payloads, filling in every Next Payload and length field. */
    public void encode(ByteBuf out) {
        int start = out.writerIndex();
        header.encode(out);
        int first = encodeChain(payloads, out);
        out.setByte(start + 16, first);
        out.setInt(start + 24, out.writerIndex() - start);
    }

    public byte[] toBytes() {
        ByteBuf buf = Unpooled.buffer();
        encode(buf);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    /**
     * Writes a payload chain (for SK: the plaintext before padding) and returns the type of its
     * first payload, the value the enclosing header or SK payload puts in Next Payload.
     */
    public static int encodeChain(List<? extends IkePayload> chain, ByteBuf out) {
        for (int i = 0; i < chain.size(); i++) {
            IkePayload p = chain.get(i);
            int following = i + 1 < chain.size() ? chain.get(i + 1).payloadType() : PayloadType.NO_NEXT_PAYLOAD.value();
            int start = out.writerIndex();
            out.writeByte(p.nextPayloadField(following));
            out.writeByte(p.critical() ? 0x80 : 0);
            out.writeShort(0);
            p.encodeBody(out);
            out.setShort(start + 2, out.writerIndex() - start);
        }
        return chain.isEmpty() ? PayloadType.NO_NEXT_PAYLOAD.value() : chain.get(0).payloadType();
    }

    public static byte[] encodeChain(List<? extends IkePayload> chain) {
        ByteBuf buf = Unpooled.buffer();
        encodeChain(chain, buf);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    /** The first payload of the given class, e.g. {@code message.first(IkeNoncePayload.class)}. */
    public <T extends IkePayload> Optional<T> first(Class<T> type) {
        return payloads.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    public <T extends IkePayload> List<T> all(Class<T> type) {
        return payloads.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
