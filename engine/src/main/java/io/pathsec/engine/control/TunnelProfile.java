package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSettings;

/**
 * A validated profile with its secrets, ready to start a tunnel from. One record per
 * {@link ProfileKind}; an IKEv2 profile joins as another permitted record, with its
 * {@link ProfileKindRules} and a branch in the {@link TunnelStarter}.
 */
public sealed interface TunnelProfile permits StaticKeyProfile, IkeClientProfileSpec, IkeGatewaySpec {
    String name();

    ProfileKind kind();

    ProfileSettings settings();
}
