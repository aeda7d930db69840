package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

/** Vendor ID payload (RFC 7296 §3.12): an opaque constant naming an implementation or extension. */
public record IkeVendorIdPayload(byte[] vendorId) implements IkePayload {
    public IkeVendorIdPayload {
        vendorId = vendorId.clone();
    }

    @Override
    public int payloadType() {
        return PayloadType.VENDOR_ID.value();
    }

    static IkeVendorIdPayload decode(BodyReader body) throws InvalidSyntaxException {
        if (body.remaining() == 0) {
            throw new InvalidSyntaxException("Vendor ID: empty");
        }
        return new IkeVendorIdPayload(body.rest());
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeBytes(vendorId);
    }
}
