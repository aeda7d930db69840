package io.pathsec.engine.control.api;

import com.google.gson.JsonObject;

import java.util.List;

/**
 * A tunnel profile as clients see it. {@code config} is the kind's own document (for
 * {@link ProfileKind#STATIC_KEY} the static-key JSON); its secret fields are write-only: the
 * daemon answers them as {@value ControlProtocol#STORED_SECRET}, and a client that sends that
 * value back keeps the stored secret, so a profile can be read, edited and put again without
 * the client ever holding the key.
 *
 * @param storedSecrets JSON paths (in {@code config}) of the secrets the daemon holds; answers
 *                      only, ignored in requests
 * @param settings null in a put keeps the stored settings (defaults for a new profile)
 */
public record Profile(String name, ProfileKind kind, JsonObject config, ProfileSettings settings,
                      List<String> storedSecrets) {

    public static Profile of(String name, ProfileKind kind, JsonObject config) {
        return new Profile(name, kind, config, null, List.of());
    }
}
