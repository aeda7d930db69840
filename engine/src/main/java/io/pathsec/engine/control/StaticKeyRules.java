package io.pathsec.engine.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.pathsec.engine.config.ConfigException;
import io.pathsec.engine.config.LoadedConfig;
import io.pathsec.engine.config.StaticConfigLoader;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ControlProtocol;
import io.pathsec.engine.control.api.ProfileSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Static-key profiles: {@code config} is the static-key document of {@code docs/static-keys.md},
 * validated by {@link StaticConfigLoader}; each SA's {@code key} is a secret, identified by the
 * SA's direction and SPI so that an edited profile may reorder its SAs and keep their keys.
 */
final class StaticKeyRules implements ProfileKindRules {
    private static final String KEY_FILE_PREFIX = "@file:";

    @Override
    public ValidatedProfile validate(String name, JsonObject config, ProfileSettings settings,
                                     Map<String, String> storedSecrets, Path scratch) throws ControlFailure {
        JsonObject full = config.deepCopy();
        JsonObject publicConfig = config.deepCopy();
        JsonElement configName = full.get("name");
        if (configName == null) {
            full.addProperty("name", name);
            publicConfig.addProperty("name", name);
        } else if (!configName.isJsonPrimitive() || !configName.getAsString().equals(name)) {
            throw ControlFailure.invalid("config.name", "must be the profile's name \"" + name + "\", got " + configName);
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        JsonElement sas = full.get("sas");
        if (sas != null && sas.isJsonArray()) {
            JsonArray fullSas = sas.getAsJsonArray();
            JsonArray publicSas = publicConfig.getAsJsonArray("sas");
            for (int i = 0; i < fullSas.size(); i++) {
                if (fullSas.get(i).isJsonObject()) {
                    takeKey(i, fullSas.get(i).getAsJsonObject(), publicSas.get(i).getAsJsonObject(),
                            storedSecrets, secrets);
                }
            }
        }
        LoadedConfig loaded = load(full, scratch);
        return new ValidatedProfile(new StaticKeyProfile(name, loaded.config(), settings), publicConfig, secrets,
                loaded.warnings());
    }

    /** Moves SA {@code i}'s key out of the public document into {@code secrets}. */
    private static void takeKey(int i, JsonObject fullSa, JsonObject publicSa, Map<String, String> stored,
                                Map<String, String> secrets) throws ControlFailure {
        JsonElement key = fullSa.get("key");
        if (key == null || !key.isJsonPrimitive()) {
            return; // the loader names the problem
        }
        String field = "config.sas[" + i + "].key";
        String id = secretId(fullSa);
        String value = key.getAsString();
        if (value.equals(ControlProtocol.STORED_SECRET)) {
            value = stored.get(id);
            if (value == null) {
                throw ControlFailure.invalid(field, "no key is stored for this SA (" + id + "); send the key in hex");
            }
        } else if (value.startsWith(KEY_FILE_PREFIX)) {
            // The daemon runs as root: reading a path a client names would read files for it.
            throw ControlFailure.invalid(field, "key files are read by the client, not the daemon; send the"
                    + " key itself (pathsec profiles add does this)");
        }
        secrets.put(id, value);
        fullSa.addProperty("key", value);
        publicSa.addProperty("key", ControlProtocol.STORED_SECRET);
    }

    /** {@code "sa/out/0x1000"}: stable across edits that reorder the SAs. */
    private static String secretId(JsonObject sa) {
        JsonElement direction = sa.get("direction");
        JsonElement spi = sa.get("spi");
        return "sa/" + (direction != null && direction.isJsonPrimitive() ? direction.getAsString() : "?") + "/"
                + (spi != null && spi.isJsonPrimitive() ? canonicalSpi(spi.getAsJsonPrimitive()) : "?");
    }

    private static String canonicalSpi(JsonPrimitive spi) {
        String text = spi.isNumber() ? spi.getAsBigDecimal().toPlainString() : spi.getAsString().trim();
        try {
            long value = text.regionMatches(true, 0, "0x", 0, 2)
                    ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
            return "0x" + Long.toHexString(value);
        } catch (NumberFormatException e) {
            return text.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Runs the static-key loader, which reads files only, on a private copy: written 0600 in the
     * daemon's own directory and deleted at once.
     */
    private static LoadedConfig load(JsonObject full, Path scratch) throws ControlFailure {
        Path file = scratch.resolve(".validate-" + UUID.randomUUID() + ".json");
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, ControlCodec.gson().toJson(full), StandardCharsets.UTF_8);
            LoadedConfig loaded = StaticConfigLoader.load(file);
            List<String> warnings = new ArrayList<>();
            for (String w : loaded.warnings()) {
                warnings.add(w.replace(file.toString(), "config"));
            }
            return new LoadedConfig(loaded.config(), warnings);
        } catch (ConfigException e) {
            String path = e.jsonPath();
            throw ControlFailure.invalid(path.isEmpty() ? "config" : "config." + path,
                    e.problem().replace(file.toString(), "config"));
        } catch (IOException e) {
            throw new ControlFailure(io.pathsec.engine.control.api.ErrorCode.INTERNAL,
                    "cannot write a scratch file in " + scratch + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // left 0600 in the daemon's directory; removed at the next start
            }
        }
    }

    @Override
    public List<String> secretPaths(JsonObject publicConfig) {
        List<String> paths = new ArrayList<>();
        JsonElement sas = publicConfig.get("sas");
        if (sas != null && sas.isJsonArray()) {
            for (int i = 0; i < sas.getAsJsonArray().size(); i++) {
                JsonElement sa = sas.getAsJsonArray().get(i);
                if (sa.isJsonObject() && sa.getAsJsonObject().has("key")) {
                    paths.add("sas[" + i + "].key");
                }
            }
        }
        return paths;
    }
}
