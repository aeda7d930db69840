package io.pathsec.engine.control;

import io.pathsec.engine.config.StaticConfig;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSettings;

/** A profile of manually keyed SAs; {@link StaticConfig#toString()} leaves the keys out. */
public record StaticKeyProfile(String name, StaticConfig config, ProfileSettings settings) implements TunnelProfile {
    @Override
    public ProfileKind kind() {
        return ProfileKind.STATIC_KEY;
    }
}
