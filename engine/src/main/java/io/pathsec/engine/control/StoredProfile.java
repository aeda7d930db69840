package io.pathsec.engine.control;

import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSettings;

/** A profile file in the state directory: the public document, secrets replaced by markers. */
record StoredProfile(String name, ProfileKind kind, JsonObject config, ProfileSettings settings) {
}
