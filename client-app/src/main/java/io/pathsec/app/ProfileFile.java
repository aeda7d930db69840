package io.pathsec.app;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a profile's config from a file for {@code pathsec profiles add}. Keys written as
 * {@code "@file:PATH"} are read here, with the user's own permissions, and sent inline: the
 * daemon runs as root and never opens a path a client names.
 */
final class ProfileFile {
    private static final String KEY_FILE = "@file:";

    private ProfileFile() {
    }

    /** Thrown with a message that names the file and the problem. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    static JsonObject read(Path file) throws Unreadable {
        JsonObject config;
        try {
            JsonElement json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!json.isJsonObject()) {
                throw new Unreadable(file + ": not a JSON object");
            }
            config = json.getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new Unreadable(file + ": no such file");
        } catch (IOException e) {
            throw new Unreadable(file + ": cannot read it: " + e.getMessage());
        } catch (JsonParseException e) {
            throw new Unreadable(file + ": not valid JSON: " + e.getMessage());
        }
        JsonElement sas = config.get("sas");
        if (sas != null && sas.isJsonArray()) {
            for (int i = 0; i < sas.getAsJsonArray().size(); i++) {
                JsonElement sa = sas.getAsJsonArray().get(i);
                if (sa.isJsonObject()) {
                    inlineKey(file, "sas[" + i + "].key", sa.getAsJsonObject(), "key");
                }
            }
        }
        inlineKey(file, "psk", config, "psk"); // an IKEv2 profile's pre-shared key
        for (String pem : new String[] {"cert", "key", "ca"}) {
            inlineKey(file, pem, config, pem); // a certificate profile's PEM files
        }
        return config;
    }

    private static void inlineKey(Path file, String field, JsonObject sa, String member) throws Unreadable {
        JsonElement key = sa.get(member);
        if (key == null || !key.isJsonPrimitive() || !key.getAsString().startsWith(KEY_FILE)) {
            return;
        }
        Path keyFile = Path.of(key.getAsString().substring(KEY_FILE.length()));
        Path dir = file.toAbsolutePath().getParent();
        if (!keyFile.isAbsolute() && dir != null) {
            keyFile = dir.resolve(keyFile).normalize();
        }
        try {
            sa.addProperty(member, Files.readString(keyFile, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new Unreadable(file + ": " + field + ": cannot read key file " + keyFile + " ("
                    + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()) + ")");
        }
    }
}
