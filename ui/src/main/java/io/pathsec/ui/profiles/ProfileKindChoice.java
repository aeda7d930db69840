package io.pathsec.ui.profiles;

/** Which form the profile editor shows. */
public enum ProfileKindChoice {
    STATIC_KEY("Static keys (manual SAs)"),
    ROAD_WARRIOR("Road warrior (IKEv2, pre-shared key)");

    private final String label;

    ProfileKindChoice(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
