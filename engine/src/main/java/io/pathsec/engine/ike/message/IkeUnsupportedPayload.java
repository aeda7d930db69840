package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

/**
 * A payload of a type we do not implement, with its critical bit clear (RFC 7296 §2.5: such a
 * payload is skipped). Kept, body and all, so a message can be logged or re-encoded unchanged.
 * A critical one never becomes an instance: the factory throws
 * {@link UnsupportedCriticalPayloadException} instead.
 */
public record IkeUnsupportedPayload(int payloadType, boolean critical, byte[] body) implements IkePayload {
    public IkeUnsupportedPayload {
        body = body.clone();
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeBytes(body);
    }
}
