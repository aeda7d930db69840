package io.pathsec.ui.profiles;

/** Which form the profile editor shows. */
public enum ProfileKindChoice {
    STATIC_KEY("Static keys (manual SAs)"),
    ROAD_WARRIOR("Road warrior (IKEv2, pre-shared key)"),
    HOST_TO_HOST("Host to host (transport mode, static keys)"),
    IKE_HOST_TO_HOST("Host to host (transport mode, IKEv2)"),
    GATEWAY("Gateway for road warriors (IKEv2)");

    /** The IKEv2 client forms (road warrior, host to host): one {@link RoadWarriorForm}. */
    public boolean ikeClient() {
        return this == ROAD_WARRIOR || this == IKE_HOST_TO_HOST;
    }

    /** The form for a stored profile of {@code kind} with {@code config}. */
    static ProfileKindChoice of(io.pathsec.engine.control.api.ProfileKind kind, com.google.gson.JsonObject config) {
        return switch (kind) {
            case IKEV2_PSK -> RoadWarriorForm.isHostToHost(config) ? IKE_HOST_TO_HOST : ROAD_WARRIOR;
            case IKEV2_GATEWAY -> GATEWAY;
            case STATIC_KEY -> StaticKeyForm.isHostToHost(config) ? HOST_TO_HOST : STATIC_KEY;
        };
    }

    private final String label;

    ProfileKindChoice(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
