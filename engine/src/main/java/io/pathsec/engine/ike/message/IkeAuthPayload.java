package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

/** Authentication payload (RFC 7296 §3.8). */
public record IkeAuthPayload(int authMethod, byte[] authenticationData) implements IkePayload {
    public IkeAuthPayload {
        authenticationData = authenticationData.clone();
    }

    @Override
    public int payloadType() {
        return PayloadType.AUTH.value();
    }

    static IkeAuthPayload decode(BodyReader body) throws InvalidSyntaxException {
        int method = body.u8();
        body.skip(3);
        if (body.remaining() == 0) {
            throw new InvalidSyntaxException("AUTH: empty authentication data");
        }
        return new IkeAuthPayload(method, body.rest());
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeByte(authMethod);
        out.writeMedium(0);
        out.writeBytes(authenticationData);
    }
}
