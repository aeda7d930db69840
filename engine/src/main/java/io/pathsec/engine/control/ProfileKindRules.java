package io.pathsec.engine.control;

import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What differs between profile kinds: how a {@code config} document is validated, and which of
 * its fields are secrets (write-only, stored apart).
 */
sealed interface ProfileKindRules permits StaticKeyRules, IkePskRules, IkeGatewayRules {

    static ProfileKindRules of(ProfileKind kind) {
        return switch (kind) {
            case STATIC_KEY -> new StaticKeyRules();
            case IKEV2_PSK -> new IkePskRules();
            case IKEV2_GATEWAY -> new IkeGatewayRules();
        };
    }

    /**
     * Validates {@code config} as sent by a client. Secret fields holding the stored-secret
     * marker take their value from {@code storedSecrets} (the profile being replaced).
     *
     * @param scratch a directory only the daemon can read, for any temporary files
     * @throws ControlFailure INVALID_PROFILE naming the field
     */
    ValidatedProfile validate(String name, JsonObject config, ProfileSettings settings,
                              Map<String, String> storedSecrets, Path scratch) throws ControlFailure;

    /** JSON paths of the secret fields in a public document, for {@code profiles.get}. */
    List<String> secretPaths(JsonObject publicConfig);
}
