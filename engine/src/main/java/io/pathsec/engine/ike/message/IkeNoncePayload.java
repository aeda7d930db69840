package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

/**
 * Nonce payload (RFC 7296 §3.9): between 16 and 256 octets; §2.10 requires at least half the
 * PRF key size, which the session checks once the PRF is known.
 */
public record IkeNoncePayload(byte[] nonce) implements IkePayload {
    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 256;

    public IkeNoncePayload {
        nonce = nonce.clone();
    }

    @Override
    public int payloadType() {
        return PayloadType.NONCE.value();
    }

    static IkeNoncePayload decode(BodyReader body) throws InvalidSyntaxException {
        int length = body.remaining();
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new InvalidSyntaxException("Nonce: " + length + " octets, must be 16..256");
        }
        return new IkeNoncePayload(body.rest());
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeBytes(nonce);
    }
}
