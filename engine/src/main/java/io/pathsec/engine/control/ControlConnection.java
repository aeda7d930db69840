package io.pathsec.engine.control;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import io.pathsec.engine.control.api.Ack;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ControlError;
import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.ControlProtocol;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.EventType;
import io.pathsec.engine.control.api.EventsDropped;
import io.pathsec.engine.control.api.Method;
import io.pathsec.engine.control.api.PeerIdentity;
import io.pathsec.engine.control.api.Subscribe;
import io.pathsec.engine.control.api.SubscribeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection: checks the peer's credentials when it connects, reads request lines,
 * answers each one (in any order; ids match them up), and, once subscribed, carries events.
 *
 * <p>Events go through Netty's outbound buffer, bounded by the channel's write-buffer water
 * marks: while the client does not read and the buffer is above the high mark, events for it
 * are counted and dropped, and when it drains the client hears how many with
 * {@link EventsDropped}. Publishers never wait for a client.
 */
final class ControlConnection extends ChannelInboundHandlerAdapter implements EventHub.Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(ControlConnection.class);

    private final PeerAccess access;
    private final ControlRequests requests;
    private final EventHub events;
    private final ExecutorService workers;
    private final int queueBytes;
    private final AtomicLong dropped = new AtomicLong();
    private volatile Channel channel;
    private volatile PeerIdentity peer;
    private volatile Set<EventType> subscribedTypes;
    private volatile String subscribedProfile;

    ControlConnection(PeerAccess access, ControlRequests requests, EventHub events, ExecutorService workers,
                      int queueBytes) {
        this.access = access;
        this.requests = requests;
        this.events = events;
        this.workers = workers;
        this.queueBytes = queueBytes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        PeerIdentity who;
        try {
            PeerCredentials c = ((EpollDomainSocketChannel) ctx.channel()).peerCredentials();
            int[] gids = c.gids();
            who = new PeerIdentity(c.pid(), c.uid(), gids.length > 0 ? gids[0] : -1);
        } catch (IOException | RuntimeException e) {
            LOG.warn("control connection refused: cannot read its peer credentials ({})", e.toString());
            ctx.close();
            return;
        }
        String refusal = access.refusal(who);
        if (refusal != null) {
            LOG.warn("control connection refused: {}", refusal);
            ctx.writeAndFlush(line(ControlCodec.error(null, new ControlError(ErrorCode.PERMISSION_DENIED,
                    "permission denied: only root and members of the group " + ControlProtocol.GROUP
                            + " may use the PathSec daemon"))))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        peer = who;
        LOG.debug("control connection from uid {} pid {}", who.uid(), who.pid());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (peer == null) {
            return; // refused; the connection is closing
        }
        if (msg instanceof LineFramer.Oversized o) {
            LOG.warn("uid {}: a request of more than {} bytes was refused", peer.uid(), ControlProtocol.MAX_MESSAGE_BYTES);
            reply(null, new ControlError(ErrorCode.TOO_LARGE, "the message exceeded "
                    + ControlProtocol.MAX_MESSAGE_BYTES + " bytes and was discarded unread"));
            return;
        }
        if (msg instanceof String text) {
            onLine(text);
        }
    }

    private void onLine(String text) {
        JsonObject message;
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (!parsed.isJsonObject()) {
                throw new JsonParseException("not a JSON object");
            }
            message = parsed.getAsJsonObject();
        } catch (JsonParseException | StackOverflowError e) {
            reply(null, new ControlError(ErrorCode.BAD_REQUEST, "not a JSON object" + where(e.getMessage())));
            return;
        }
        JsonElement id = message.get("id");
        JsonElement v = message.get("v");
        if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()
                || v.getAsDouble() != ControlProtocol.VERSION) {
            reply(id, new ControlError(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + (v == null ? "missing" : v)
                    + "; this daemon speaks \"v\": " + ControlProtocol.VERSION));
            return;
        }
        if (id == null || id.isJsonNull() || !id.isJsonPrimitive()) {
            reply(null, new ControlError(ErrorCode.BAD_REQUEST, "a request needs an \"id\" (a number or a string)"));
            return;
        }
        JsonElement methodName = message.get("method");
        Optional<Method> method = methodName != null && methodName.isJsonPrimitive()
                ? Method.byWireName(methodName.getAsString()) : Optional.empty();
        if (method.isEmpty()) {
            reply(id, new ControlError(ErrorCode.BAD_REQUEST, "unknown method " + methodName + "; known: "
                    + String.join(", ", Method.wireNames())));
            return;
        }
        JsonElement params = message.get("params");
        if (params != null && !params.isJsonNull() && !params.isJsonObject()) {
            reply(id, new ControlError(ErrorCode.BAD_REQUEST, "\"params\" must be an object"));
            return;
        }
        JsonObject p = params == null || params.isJsonNull() ? new JsonObject() : params.getAsJsonObject();
        try {
            workers.execute(() -> serve(id, method.get(), p));
        } catch (RejectedExecutionException e) {
            reply(id, new ControlError(ErrorCode.INTERNAL, "the daemon is overloaded or stopping; try again"));
        }
    }

    private void serve(JsonElement id, Method method, JsonObject params) {
        // Log lines written while serving a request about a profile carry its name, so that
        // subscribers filtering by profile get them (DaemonLogForwarder reads it).
        JsonElement name = params.get("name");
        if (name != null && name.isJsonPrimitive()) {
            MDC.put(ControlDaemon.PROFILE_LOG_KEY, name.getAsString());
        }
        try {
            Object result = switch (method) {
                case SUBSCRIBE -> subscribe(params);
                case UNSUBSCRIBE -> unsubscribe();
                default -> requests.handle(method, params, peer);
            };
            send(ControlCodec.result(id, result));
        } catch (ControlFailure f) {
            reply(id, f.error());
        } catch (RuntimeException e) {
            LOG.error("{} failed", method.wireName(), e);
            reply(id, new ControlError(ErrorCode.INTERNAL, method.wireName() + " failed inside the daemon ("
                    + e.getClass().getSimpleName() + "); its log has the details"));
        } finally {
            MDC.remove(ControlDaemon.PROFILE_LOG_KEY);
        }
    }

    private SubscribeResult subscribe(JsonObject params) throws ControlFailure {
        Subscribe s = ControlRequests.decode(params, Subscribe.class);
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        List<String> names = s.events() == null ? List.of() : s.events();
        for (String name : names) {
            types.add(EventType.byWireName(name).orElseThrow(() -> new ControlFailure(ErrorCode.BAD_REQUEST,
                    "unknown event type \"" + name + "\"; known: " + String.join(", ", EventType.wireNames()))));
        }
        if (types.isEmpty()) {
            types = EnumSet.allOf(EventType.class);
        }
        types.add(EventType.EVENTS_DROPPED); // a subscriber must always learn it missed something
        if (s.profile() != null) {
            ProfileStore.checkName(s.profile());
        }
        subscribedProfile = s.profile();
        subscribedTypes = types;
        // Registered before the answer leaves: an event published meanwhile must not be lost.
        // It may then reach the client just ahead of the answer, which clients expect (the
        // ControlClient sets its listener before it sends the request).
        events.add(this);
        return new SubscribeResult(types.stream().map(EventType::wireName).toList(), queueBytes);
    }

    private Ack unsubscribe() {
        events.remove(this);
        subscribedTypes = null;
        return Ack.OK;
    }

    @Override
    public void offer(ControlEvent event, byte[] line) {
        Set<EventType> types = subscribedTypes;
        Channel ch = channel;
        if (types == null || ch == null || !types.contains(event.type())) {
            return;
        }
        String profile = subscribedProfile;
        if (profile != null && event.profile() != null && !profile.equals(event.profile())) {
            return;
        }
        if (!ch.isWritable()) {
            dropped.incrementAndGet();
            return;
        }
        ch.writeAndFlush(Unpooled.wrappedBuffer(line), ch.voidPromise());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            long n = dropped.getAndSet(0);
            if (n > 0) {
                LOG.debug("uid {}: {} events dropped for a slow subscriber", peer == null ? -1 : peer.uid(), n);
                send(ControlCodec.event(new EventsDropped(null, System.currentTimeMillis(), n)));
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        events.remove(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("control connection closed: {}", cause.toString());
        events.remove(this);
        ctx.close();
    }

    private void reply(JsonElement id, ControlError error) {
        send(ControlCodec.error(id, error));
    }

    private void send(String json) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(line(json), ch.voidPromise());
        }
    }

    private static io.netty.buffer.ByteBuf line(String json) {
        return Unpooled.wrappedBuffer((json + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Gson's position ("at line 1 column 7"), without its advice or any echo of the input. */
    private static String where(String gsonMessage) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("at line \\d+ column \\d+")
                .matcher(String.valueOf(gsonMessage));
        return m.find() ? " (" + m.group() + ")" : "";
    }
}
