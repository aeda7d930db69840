package io.pathsec.engine.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One JSON object of a configuration file together with its JSON path, reading typed fields and
 * turning every problem into a {@link ConfigException} that names the field.
 */
final class ConfigObject {
    /** A string value and where it sits, for lists whose items are checked one by one. */
    record Text(String path, String value) {
    }

    private final Path file;
    private final String path;
    private final JsonObject object;

    private ConfigObject(Path file, String path, JsonObject object) {
        this.file = file;
        this.path = path;
        this.object = object;
    }

    static ConfigObject root(Path file, JsonElement element) throws ConfigException {
        if (!element.isJsonObject()) {
            throw new ConfigException(file, "", "the document must be a JSON object { ... }");
        }
        return new ConfigObject(file, "", element.getAsJsonObject());
    }

    String pathOf(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    String path() {
        return path;
    }

    ConfigException error(String field, String problem) {
        return new ConfigException(file, pathOf(field), problem);
    }

    ConfigException errorAt(String fullPath, String problem) {
        return new ConfigException(file, fullPath, problem);
    }

    boolean has(String field) {
        return object.has(field) && !object.get(field).isJsonNull();
    }

    /** Rejects fields not in {@code allowed}: a misspelt optional field would otherwise vanish. */
    void rejectUnknown(String... allowed) throws ConfigException {
        Set<String> known = Set.of(allowed);
        for (String field : object.keySet()) {
            if (!known.contains(field)) {
                String hint = closest(field, allowed);
                throw error(field, "unknown field '" + field + "'"
                        + (hint != null ? "; did you mean '" + hint + "'?" : "")
                        + " (known here: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private JsonElement required(String field) throws ConfigException {
        if (!has(field)) {
            throw error(field, "missing field '" + field + "'");
        }
        return object.get(field);
    }

    String string(String field) throws ConfigException {
        JsonElement e = required(field);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw error(field, "must be a string");
        }
        return e.getAsString();
    }

    String string(String field, String fallback) throws ConfigException {
        return has(field) ? string(field) : fallback;
    }

    int integer(String field, int min, int max) throws ConfigException {
        JsonElement e = required(field);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw error(field, "must be a number from " + min + " to " + max);
        }
        BigDecimal value = e.getAsBigDecimal();
        if (value.stripTrailingZeros().scale() > 0
                || value.compareTo(BigDecimal.valueOf(min)) < 0
                || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw error(field, "must be a whole number from " + min + " to " + max + ", got "
                    + value.toPlainString());
        }
        return value.intValueExact();
    }

    int integer(String field, int fallback, int min, int max) throws ConfigException {
        return has(field) ? integer(field, min, max) : fallback;
    }

    boolean bool(String field, boolean fallback) throws ConfigException {
        if (!has(field)) {
            return fallback;
        }
        JsonElement e = object.get(field);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw error(field, "must be true or false");
        }
        return e.getAsBoolean();
    }

    /** The raw primitive, for fields that take a number or a string (an SPI). */
    JsonPrimitive primitive(String field) throws ConfigException {
        JsonElement e = required(field);
        if (!e.isJsonPrimitive() || e.getAsJsonPrimitive().isBoolean()) {
            throw error(field, "must be a number or a string");
        }
        return e.getAsJsonPrimitive();
    }

    ConfigObject object(String field) throws ConfigException {
        JsonElement e = required(field);
        if (!e.isJsonObject()) {
            throw error(field, "must be an object { ... }");
        }
        return new ConfigObject(file, pathOf(field), e.getAsJsonObject());
    }

    List<ConfigObject> objects(String field) throws ConfigException {
        JsonArray array = array(field);
        List<ConfigObject> result = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String itemPath = pathOf(field) + "[" + i + "]";
            if (!array.get(i).isJsonObject()) {
                throw errorAt(itemPath, "must be an object { ... }");
            }
            result.add(new ConfigObject(file, itemPath, array.get(i).getAsJsonObject()));
        }
        return result;
    }

    /** A list of strings; absent means empty. */
    List<Text> strings(String field) throws ConfigException {
        if (!has(field)) {
            return List.of();
        }
        JsonArray array = array(field);
        List<Text> result = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String itemPath = pathOf(field) + "[" + i + "]";
            JsonElement item = array.get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw errorAt(itemPath, "must be a string");
            }
            result.add(new Text(itemPath, item.getAsString()));
        }
        return result;
    }

    private JsonArray array(String field) throws ConfigException {
        JsonElement e = required(field);
        if (!e.isJsonArray()) {
            throw error(field, "must be a list [ ... ]");
        }
        return e.getAsJsonArray();
    }

    /** The allowed name within edit distance 2 of a typo, if exactly one is nearest. */
    private static String closest(String typo, String[] allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : Arrays.stream(allowed).sorted().toList()) {
            int d = distance(typo.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
