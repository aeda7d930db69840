package io.pathsec.engine.control.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of the PathSec daemon: blocking request/response calls plus an event subscription
 * delivered to an {@link EventListener}, over one connection. Used by the CLI and the GUI.
 * Thread-safe: calls from several threads are matched to their answers by id.
 *
 * <pre>{@code
 * try (ControlClient c = ControlClient.connect(ControlProtocol.DEFAULT_SOCKET)) {
 *     TunnelInfo t = c.connectTunnel("office");
 * }
 * }</pre>
 */
public final class ControlClient implements AutoCloseable {
    /** Long enough for a tunnel to come up; every call can be given its own limit. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Path socket;
    private final SocketChannel channel;
    private final Thread reader;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private volatile EventListener listener;
    private volatile Exception closedBy;
    private volatile boolean closing;

    private ControlClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
        this.reader = new Thread(this::readLoop, "pathsec-control-client");
        this.reader.setDaemon(true);
    }

    /**
     * Connects to the daemon's socket.
     *
     * @throws DaemonUnavailableException when no daemon answers there, with a message that says
     *                                    what to do
     */
    public static ControlClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw unavailable(socket, e);
        }
        ControlClient client = new ControlClient(socket, channel);
        client.reader.start();
        return client;
    }

    /** Tells the three ways of not reaching a daemon apart; the JDK reports them by errno text. */
    private static IOException unavailable(Path socket, IOException e) {
        String message = String.valueOf(e.getMessage());
        DaemonUnavailableException.Reason reason;
        if (message.contains("Permission denied")) {
            reason = DaemonUnavailableException.Reason.NO_ACCESS;
        } else if (message.contains("Connection refused")) {
            reason = DaemonUnavailableException.Reason.NOT_LISTENING;
        } else if (message.contains("No such file") || !Files.exists(socket)) {
            reason = DaemonUnavailableException.Reason.NO_SOCKET;
        } else {
            return e;
        }
        return new DaemonUnavailableException(socket, reason, e);
    }

    public Path socket() {
        return socket;
    }

    // ---- typed requests ---------------------------------------------------------------------

    public HelloResult hello(String clientName) throws IOException, ControlException {
        return call(Method.HELLO, new Hello(clientName, ControlProtocol.SUPPORTED_VERSIONS), HelloResult.class);
    }

    public ProfileList listProfiles() throws IOException, ControlException {
        return call(Method.PROFILES_LIST, null, ProfileList.class);
    }

    public Profile getProfile(String name) throws IOException, ControlException {
        return call(Method.PROFILES_GET, new ProfileName(name), Profile.class);
    }

    public PutProfileResult putProfile(Profile profile, boolean replace) throws IOException, ControlException {
        return call(Method.PROFILES_PUT, new PutProfile(profile, replace), PutProfileResult.class);
    }

    public DeleteProfileResult deleteProfile(String name) throws IOException, ControlException {
        return call(Method.PROFILES_DELETE, new ProfileName(name), DeleteProfileResult.class);
    }

    public TunnelInfo connectTunnel(String name) throws IOException, ControlException {
        return call(Method.CONNECT, new ProfileName(name), TunnelInfo.class);
    }

    public TunnelInfo disconnectTunnel(String name) throws IOException, ControlException {
        return call(Method.DISCONNECT, new ProfileName(name), TunnelInfo.class);
    }

    public Status status() throws IOException, ControlException {
        return call(Method.STATUS, null, Status.class);
    }

    public SaList securityAssociations(String name) throws IOException, ControlException {
        return call(Method.SA, new ProfileName(name), SaList.class);
    }

    public PmtuReport pmtu(String name) throws IOException, ControlException {
        return call(Method.PMTU, new ProfileName(name), PmtuReport.class);
    }

    /** The road warriors connected to the running gateway profile {@code name}. */
    public GatewayClientList gatewayClients(String name) throws IOException, ControlException {
        return call(Method.GATEWAY_CLIENTS, new ProfileName(name), GatewayClientList.class);
    }

    /** Imports a strongSwan Android {@code .sswan} profile given as text. */
    public ImportProfileResult importProfile(ImportProfile request) throws IOException, ControlException {
        return call(Method.PROFILES_IMPORT, request, ImportProfileResult.class);
    }

    /** A diagnostics bundle; waits for its capture ({@link DiagRequest#captureSeconds()}). */
    public DiagBundle diag(String name, Integer captureSeconds) throws IOException, ControlException {
        int wait = captureSeconds == null ? 5 : Math.max(0, captureSeconds);
        return call(Method.DIAG, new DiagRequest(name, captureSeconds), DiagBundle.class,
                DEFAULT_TIMEOUT.plusSeconds(wait));
    }

    /** Starts or stops keeping a tunnel's last outer packets for {@link #diag}. */
    public DiagCapture diagCapture(String name, boolean enabled) throws IOException, ControlException {
        return call(Method.DIAG_CAPTURE, new DiagCapture(name, enabled, 0), DiagCapture.class);
    }

    public ProfileSettingsResult settings(String name) throws IOException, ControlException {
        return call(Method.SETTINGS_GET, new ProfileName(name), ProfileSettingsResult.class);
    }

    public ProfileSettingsResult updateSettings(String name, ProfileSettings update)
            throws IOException, ControlException {
        return call(Method.SETTINGS_SET, new SettingsUpdate(name, update), ProfileSettingsResult.class);
    }

    /**
     * Starts the event stream on this connection. The listener is set before the request leaves,
     * so no event that follows the answer is missed.
     *
     * @param events event types to receive, empty for all
     * @param profile only this profile's events, or null for all
     */
    public SubscribeResult subscribe(List<EventType> events, String profile, EventListener listener)
            throws IOException, ControlException {
        this.listener = listener;
        return call(Method.SUBSCRIBE, new Subscribe(events.stream().map(EventType::wireName).toList(), profile),
                SubscribeResult.class);
    }

    public void unsubscribe() throws IOException, ControlException {
        call(Method.UNSUBSCRIBE, null, Ack.class);
        listener = null;
    }

    // ---- the generic call -------------------------------------------------------------------

    public <T> T call(Method method, Object params, Class<T> resultType) throws IOException, ControlException {
        return call(method, params, resultType, DEFAULT_TIMEOUT);
    }

    /** Sends one request and waits for its answer. */
    public <T> T call(Method method, Object params, Class<T> resultType, Duration timeout)
            throws IOException, ControlException {
        long id = nextId.getAndIncrement();
        byte[] line = (ControlCodec.request(id, method, params) + "\n").getBytes(StandardCharsets.UTF_8);
        if (line.length - 1 > ControlProtocol.MAX_MESSAGE_BYTES) {
            // The daemon would refuse it unread; saying so here keeps the connection clean.
            throw new ControlException(new ControlError(ErrorCode.TOO_LARGE, "the request is " + (line.length - 1)
                    + " bytes; the limit is " + ControlProtocol.MAX_MESSAGE_BYTES));
        }
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            if (closedBy instanceof ControlException refused) {
                throw new ControlException(refused.error());
            }
            failIfClosed();
            writeLine(line);
            JsonObject response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return decodeResponse(response, resultType);
        } catch (TimeoutException e) {
            throw new IOException("no answer from the daemon to " + method.wireName() + " within "
                    + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the daemon");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ControlException c) {
                throw new ControlException(c.error()); // a fresh stack trace, in this thread
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    /** Writes raw bytes as they are: for tests of what the daemon does with broken input. */
    public void sendRaw(byte[] bytes) throws IOException {
        writeLine(bytes);
    }

    private void writeLine(byte[] line) throws IOException {
        synchronized (writeLock) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    private void failIfClosed() throws IOException {
        Exception cause = closedBy;
        if (cause != null || !channel.isOpen()) {
            throw new IOException("the connection to the daemon is closed"
                    + (cause == null ? "" : ": " + cause.getMessage()), cause);
        }
    }

    private static <T> T decodeResponse(JsonObject response, Class<T> resultType) throws ControlException {
        JsonElement error = response.get("error");
        if (error != null && error.isJsonObject()) {
            throw new ControlException(decodeError(error));
        }
        try {
            return ControlCodec.gson().fromJson(response.get("result"), resultType);
        } catch (JsonParseException e) {
            throw new ControlException(new ControlError(ErrorCode.BAD_REQUEST,
                    "the daemon's answer does not match this client: " + e.getMessage()));
        }
    }

    private static ControlError decodeError(JsonElement error) {
        try {
            ControlError e = ControlCodec.gson().fromJson(error, ControlError.class);
            if (e != null && e.code() != null && e.message() != null) {
                return e;
            }
        } catch (JsonParseException | NullPointerException ignored) {
            // an error code this client does not know (a newer daemon): reported as it is below
        }
        return new ControlError(ErrorCode.INTERNAL, "the daemon answered an error this client does not know: " + error);
    }

    // ---- the reader thread ------------------------------------------------------------------

    private void readLoop() {
        Exception cause = null;
        try (InputStream in = Channels.newInputStream(channel)) {
            // Responses and events share the limit the daemon applies to requests.
            BoundedLineReader lines = new BoundedLineReader(in, ControlProtocol.MAX_MESSAGE_BYTES * 4);
            String line;
            while ((line = lines.readLine()) != null) {
                dispatch(line);
            }
            cause = new IOException("the daemon closed the connection");
        } catch (IOException e) {
            cause = closing ? null : e;
        } finally {
            Exception reported = cause;
            if (closedBy == null) {
                closedBy = reported == null ? new IOException("closed by the client") : reported;
            }
            for (CompletableFuture<JsonObject> f : pending.values()) {
                f.completeExceptionally(closedBy);
            }
            EventListener l = listener;
            if (l != null) {
                l.onClosed(reported);
            }
        }
    }

    private void dispatch(String line) {
        JsonObject message;
        try {
            message = JsonParser.parseString(line).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            return; // not ours to fix; the pending call times out with a clear message
        }
        if (message.has("event")) {
            EventListener l = listener;
            if (l != null) {
                ControlCodec.decodeEvent(message).ifPresent(l::onEvent);
            }
            return;
        }
        JsonElement id = message.get("id");
        if (id != null && id.isJsonPrimitive() && id.getAsJsonPrimitive().isNumber()) {
            CompletableFuture<JsonObject> f = pending.get(id.getAsLong());
            if (f != null) {
                f.complete(message);
            }
            return;
        }
        // An error the daemon could not tie to a request (refused connection, unreadable
        // message): it concerns whatever is waiting.
        JsonElement error = message.get("error");
        if (error != null && error.isJsonObject()) {
            ControlException e = new ControlException(decodeError(error));
            if (e.code() == ErrorCode.PERMISSION_DENIED) {
                closedBy = e;
            }
            pending.values().forEach(f -> f.completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        closing = true;
        listener = null;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once the connection ended, for either side's reason. */
    public boolean isClosed() {
        return !channel.isOpen() || closedBy != null;
    }
}
