package io.pathsec.engine.control;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.charset.StandardCharsets;

/**
 * Splits the byte stream into newline-terminated UTF-8 messages. A message longer than the limit
 * is never buffered whole: the framer passes one {@link Oversized} on, discards bytes up to the
 * next newline, and then frames normally again, so the connection survives. (Netty's
 * LineBasedFrameDecoder does this too but lives in netty-codec, which the engine does not use.)
 */
final class LineFramer extends ChannelInboundHandlerAdapter {
    /** Stands in for a message that exceeded the limit. */
    record Oversized(long bytes) {
    }

    private final int maxBytes;
    private ByteBuf pending;
    private boolean discarding;
    private long discarded;

    LineFramer(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable()) {
                int newline = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
                int available = (newline < 0 ? in.writerIndex() : newline) - in.readerIndex();
                if (discarding) {
                    discarded += available;
                    in.skipBytes(available);
                    if (newline >= 0) {
                        in.skipBytes(1);
                        discarding = false;
                        ctx.fireChannelRead(new Oversized(discarded));
                    }
                    continue;
                }
                int buffered = pending == null ? 0 : pending.readableBytes();
                if (buffered + available > maxBytes) {
                    discarding = true;
                    discarded = buffered;
                    releasePending();
                    continue;
                }
                if (newline < 0) {
                    if (pending == null) {
                        pending = ctx.alloc().buffer(Math.max(256, available));
                    }
                    pending.writeBytes(in, available);
                    continue;
                }
                String line;
                if (pending == null) {
                    line = in.toString(in.readerIndex(), available, StandardCharsets.UTF_8);
                    in.skipBytes(available);
                } else {
                    pending.writeBytes(in, available);
                    line = pending.toString(StandardCharsets.UTF_8);
                    releasePending();
                }
                in.skipBytes(1);
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                if (!line.isBlank()) {
                    ctx.fireChannelRead(line);
                }
            }
        } finally {
            in.release();
        }
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePending();
    }
}
