package io.pathsec.engine.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * Reads strict JSON (RFC 8259: no comments, no trailing commas, no single quotes) into a Gson
 * tree, refusing duplicate field names, which Gson would silently resolve to the last one: in
 * a security configuration two {@code "key"} fields are a mistake, not a choice.
 */
final class JsonDocument {
    private JsonDocument() {
    }

    static JsonElement parse(Path file, String text) throws ConfigException {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement root = read(file, reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ConfigException(file, "", "unexpected text after the end of the JSON document");
            }
            return root;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new ConfigException(file, path(reader.getPath()), "malformed JSON: " + clean(e.getMessage()), e);
        }
    }

    private static JsonElement read(Path file, JsonReader reader) throws IOException, ConfigException {
        switch (reader.peek()) {
            case BEGIN_OBJECT -> {
                JsonObject object = new JsonObject();
                reader.beginObject();
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    if (object.has(name)) {
                        throw new ConfigException(file, path(reader.getPath()),
                                "field '" + name + "' appears twice");
                    }
                    object.add(name, read(file, reader));
                }
                reader.endObject();
                return object;
            }
            case BEGIN_ARRAY -> {
                JsonArray array = new JsonArray();
                reader.beginArray();
                while (reader.hasNext()) {
                    array.add(read(file, reader));
                }
                reader.endArray();
                return array;
            }
            case STRING -> {
                return new JsonPrimitive(reader.nextString());
            }
            case NUMBER -> {
                return new JsonPrimitive(new BigDecimal(reader.nextString()));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(reader.nextBoolean());
            }
            case NULL -> {
                reader.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new IllegalStateException("unexpected " + reader.peek());
        }
    }

    /** Gson's "$.sas[1].key" as the user reads it: "sas[1].key". */
    static String path(String gsonPath) {
        String p = gsonPath.startsWith("$") ? gsonPath.substring(1) : gsonPath;
        p = p.startsWith(".") ? p.substring(1) : p;
        // Inside an object before its first name Gson ends the path with a bare ".".
        return p.endsWith(".") ? p.substring(0, p.length() - 1) : p;
    }

    /** Gson's message without its path (reported apart) and troubleshooting link. */
    private static String clean(String message) {
        if (message == null) {
            return "unexpected end of file";
        }
        String m = message;
        int see = m.indexOf("\nSee ");
        if (see >= 0) {
            m = m.substring(0, see);
        }
        int path = m.lastIndexOf(" path $");
        if (path >= 0) {
            m = m.substring(0, path);
        }
        // Gson suggests lenient parsing; the user needs to hear what strict JSON excludes.
        String lenientHint = "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON";
        if (m.startsWith(lenientHint)) {
            m = "unexpected text (comments, trailing or double commas, single quotes and unquoted"
                    + " names are not JSON)" + m.substring(lenientHint.length());
        }
        return m.trim();
    }
}
