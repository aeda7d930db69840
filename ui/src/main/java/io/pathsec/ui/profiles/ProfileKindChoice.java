package io.pathsec.ui.profiles;

/** Which form the profile editor shows. */
public enum ProfileKindChoice {
    STATIC_KEY("Static keys (manual SAs)"),
    ROAD_WARRIOR("Road warrior (IKEv2, pre-shared key)"),
    HOST_TO_HOST("Host to host (transport mode, static keys)");

    private final String label;

    ProfileKindChoice(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
