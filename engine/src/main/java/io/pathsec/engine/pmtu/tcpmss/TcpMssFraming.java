package io.pathsec.engine.pmtu.tcpmss;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;

/**
 * The Netty side of one end of an exchange: collects exactly the octets of the message the
 * protocol expects next ({@link TcpMssMessage.Type} fixes each length; TCP may split it), hands
 * it over whole, and sends sealed messages. The protocol is lock-step, so octets beyond the
 * expected message are a violation. Subclasses hold the protocol; everything here runs on the
 * channel's event loop, one instance per connection.
 */
abstract class TcpMssFraming extends ChannelInboundHandlerAdapter {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(TcpMssMessage.Type.HELLO.length);
    /** The message awaited now, or null when nothing more may arrive. */
    TcpMssMessage.Type expected;

    TcpMssFraming(TcpMssMessage.Type first) {
        this.expected = first;
    }

    /** One whole message of the {@link #expected} type. */
    abstract void received(ChannelHandlerContext ctx, byte[] message) throws TcpMssException;

    /** The exchange is refused; the subclass counts and reports it, then the connection closes. */
    abstract void refused(ChannelHandlerContext ctx, TcpMssException e);

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            ByteBuf in = (ByteBuf) msg;
            while (in.isReadable() && ctx.channel().isOpen()) {
                TcpMssMessage.Type type = expected;
                if (type == null) {
                    throw new TcpMssException(TcpMssRejection.MALFORMED, in.readableBytes() + " unexpected octets");
                }
                int take = Math.min(in.readableBytes(), type.length - pending.size());
                byte[] part = new byte[take];
                in.readBytes(part);
                pending.writeBytes(part);
                if (pending.size() == type.length) {
                    byte[] message = pending.toByteArray();
                    pending.reset();
                    received(ctx, message);
                }
            }
        } catch (TcpMssException e) {
            refused(ctx, e);
            ctx.close();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    static void send(ChannelHandlerContext ctx, byte[] message) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(message)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    static void sendAndClose(ChannelHandlerContext ctx, byte[] message) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(message)).addListener(ChannelFutureListener.CLOSE);
    }
}
