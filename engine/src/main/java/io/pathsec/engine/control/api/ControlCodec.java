package io.pathsec.engine.control.api;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;

import java.util.Optional;

/**
 * The three envelopes of the protocol and their JSON, one message per line:
 * <pre>
 *   request   {"v":1,"id":7,"method":"connect","params":{"name":"office"}}
 *   response  {"v":1,"id":7,"result":{...}}   or   {"v":1,"id":7,"error":{"code":"NOT_FOUND","message":"..."}}
 *   event     {"v":1,"event":"tunnel.state","data":{...}}
 * </pre>
 * Gson never escapes to a line break inside a string, so a message is always one line.
 */
public final class ControlCodec {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    /** Envelopes say {@code "id":null} out loud: an error the daemon could not tie to a request. */
    private static final Gson ENVELOPE = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private ControlCodec() {
    }

    /** The Gson that reads and writes every {@code control.api} record. */
    public static Gson gson() {
        return GSON;
    }

    public static String request(long id, Method method, Object params) {
        JsonObject o = envelope(new JsonPrimitive(id));
        o.addProperty("method", method.wireName());
        o.add("params", params == null ? new JsonObject() : GSON.toJsonTree(params));
        return GSON.toJson(o);
    }

    public static String result(JsonElement id, Object result) {
        JsonObject o = envelope(id);
        o.add("result", GSON.toJsonTree(result));
        return ENVELOPE.toJson(o);
    }

    public static String error(JsonElement id, ControlError error) {
        JsonObject o = envelope(id);
        o.add("error", GSON.toJsonTree(error));
        return ENVELOPE.toJson(o);
    }

    public static String event(ControlEvent event) {
        JsonObject o = new JsonObject();
        o.addProperty("v", ControlProtocol.VERSION);
        o.addProperty("event", event.type().wireName());
        o.add("data", GSON.toJsonTree(event));
        return GSON.toJson(o);
    }

    /**
     * The event in an event envelope; empty for a type this client does not know (a newer
     * daemon), which a client ignores.
     */
    public static Optional<ControlEvent> decodeEvent(JsonObject envelope) {
        JsonElement type = envelope.get("event");
        if (type == null || !type.isJsonPrimitive()) {
            return Optional.empty();
        }
        Optional<EventType> known = EventType.byWireName(type.getAsString());
        if (known.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(GSON.fromJson(envelope.get("data"), known.get().recordClass()));
        } catch (JsonParseException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static JsonObject envelope(JsonElement id) {
        JsonObject o = new JsonObject();
        o.addProperty("v", ControlProtocol.VERSION);
        o.add("id", id == null ? JsonNull.INSTANCE : id);
        return o;
    }
}
