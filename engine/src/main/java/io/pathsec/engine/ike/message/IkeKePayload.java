package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

/**
 * Key Exchange payload (RFC 7296 §3.4): the sender's Diffie-Hellman public value for
 * {@code dhGroup}. The value's length is checked against the group by the crypto layer, which
 * knows the groups; here only the framing is validated.
 */
public record IkeKePayload(int dhGroup, byte[] keyExchangeData) implements IkePayload {
    public IkeKePayload {
        keyExchangeData = keyExchangeData.clone();
    }

    @Override
    public int payloadType() {
        return PayloadType.KE.value();
    }

    static IkeKePayload decode(BodyReader body) throws InvalidSyntaxException {
        int group = body.u16();
        body.skip(2);
        if (body.remaining() == 0) {
            throw new InvalidSyntaxException("KE: empty key exchange data");
        }
        return new IkeKePayload(group, body.rest());
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeShort(dhGroup);
        out.writeShort(0);
        out.writeBytes(keyExchangeData);
    }
}
