package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.gateway.IkeGatewayProfile;

/** A validated gateway profile: the engine's {@link IkeGatewayProfile}, started by {@code connect}. */
public record IkeGatewaySpec(String name, ProfileSettings settings, IkeGatewayProfile gateway)
        implements TunnelProfile {
    @Override
    public ProfileKind kind() {
        return ProfileKind.IKEV2_GATEWAY;
    }

    @Override
    public String toString() {
        return "IkeGatewaySpec[" + gateway + "]";
    }
}
