package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

/**
 * Bounds-checked reads over one payload body (or substructure): every short read becomes
 * INVALID_SYNTAX instead of an IndexOutOfBoundsException, so no decoder can leak an unchecked
 * exception on a truncated message.
 */
final class BodyReader {
    private final ByteBuf buf;
    private final String what;

    BodyReader(ByteBuf buf, String what) {
        this.buf = buf;
        this.what = what;
    }

    int remaining() {
        return buf.readableBytes();
    }

    int u8() throws InvalidSyntaxException {
        require(1);
        return buf.readUnsignedByte();
    }

    int u16() throws InvalidSyntaxException {
        require(2);
        return buf.readUnsignedShort();
    }

    int u32() throws InvalidSyntaxException {
        require(4);
        return buf.readInt();
    }

    long u64() throws InvalidSyntaxException {
        require(8);
        return buf.readLong();
    }

    byte[] bytes(int n) throws InvalidSyntaxException {
        require(n);
        byte[] out = new byte[n];
        buf.readBytes(out);
        return out;
    }

    byte[] rest() {
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    /** A reader over the next {@code n} bytes, consumed from this one. */
    BodyReader sub(int n, String subWhat) throws InvalidSyntaxException {
        require(n);
        return new BodyReader(buf.readSlice(n), subWhat);
    }

    void skip(int n) throws InvalidSyntaxException {
        require(n);
        buf.skipBytes(n);
    }

    private void require(int n) throws InvalidSyntaxException {
        if (n < 0 || buf.readableBytes() < n) {
            throw new InvalidSyntaxException(what + ": truncated (need " + n + ", have " + buf.readableBytes() + ")");
        }
    }
}
