package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

/**
 * Encrypted and Authenticated payload (RFC 7296 §3.14), held opaque: IV, ciphertext and ICV
 * as one body. Its Next Payload field names the first payload inside the ciphertext, which is
 * why an SK payload is always the last one of the cleartext chain. Decryption lives in
 * {@code ike.crypto}; {@link IkeMessage#decodeInnerPayloads} decodes the plaintext chain.
 */
public record IkeSkPayload(int firstInnerPayload, byte[] encryptedBody) implements IkePayload {
    public IkeSkPayload {
        encryptedBody = encryptedBody.clone();
    }

    @Override
    public int payloadType() {
        return PayloadType.SK.value();
    }

    @Override
    public int nextPayloadField(int followingType) {
        return firstInnerPayload;
    }

    static IkeSkPayload decode(int firstInnerPayload, BodyReader body) throws InvalidSyntaxException {
        if (body.remaining() == 0) {
            throw new InvalidSyntaxException("SK: empty");
        }
        return new IkeSkPayload(firstInnerPayload, body.rest());
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeBytes(encryptedBody);
    }
}
