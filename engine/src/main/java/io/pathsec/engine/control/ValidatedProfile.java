package io.pathsec.engine.control;

import com.google.gson.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * A profile that passed its kind's checks, split for storage: the public document (secrets
 * replaced by the stored-secret marker) and the secrets by id.
 */
record ValidatedProfile(TunnelProfile profile, JsonObject publicConfig, Map<String, String> secrets,
                        List<String> warnings) {
    @Override
    public String toString() {
        return "ValidatedProfile[" + profile.name() + ", " + secrets.size() + " secrets]";
    }
}
