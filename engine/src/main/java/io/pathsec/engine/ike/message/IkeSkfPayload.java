package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

/**
 * Encrypted Fragment payload (RFC 7383 §2.5): like SK, plus a Fragment Number and Total
 * Fragments, both 1-based. Only fragment 1 names the first inner payload; the others carry 0.
 */
public record IkeSkfPayload(int firstInnerPayload, int fragmentNumber, int totalFragments, byte[] encryptedBody)
        implements IkePayload {
    /** Fragment Number and Total Fragments, which also belong to the AEAD associated data. */
    public static final int FRAGMENT_FIELDS_LENGTH = 4;

    public IkeSkfPayload {
        encryptedBody = encryptedBody.clone();
    }

    @Override
    public int payloadType() {
        return PayloadType.SKF.value();
    }

    @Override
    public int nextPayloadField(int followingType) {
        return firstInnerPayload;
    }

    static IkeSkfPayload decode(int firstInnerPayload, BodyReader body) throws InvalidSyntaxException {
        int number = body.u16();
        int total = body.u16();
        // RFC 7383 §2.6.1: a fragment number above the total, or a zero, is invalid.
        if (number == 0 || total == 0 || number > total) {
            throw new InvalidSyntaxException("SKF: fragment " + number + " of " + total);
        }
        if (number != 1 && firstInnerPayload != 0) {
            throw new InvalidSyntaxException("SKF: fragment " + number + " names an inner payload");
        }
        if (body.remaining() == 0) {
            throw new InvalidSyntaxException("SKF: empty");
        }
        return new IkeSkfPayload(firstInnerPayload, number, total, body.rest());
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeShort(fragmentNumber);
        out.writeShort(totalFragments);
        out.writeBytes(encryptedBody);
    }
}
