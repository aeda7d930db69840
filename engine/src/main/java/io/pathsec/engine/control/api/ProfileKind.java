package io.pathsec.engine.control.api;

import com.google.gson.annotations.SerializedName;

/**
 * What kind of tunnel a profile describes; it decides how the profile's {@code config} is
 * validated and which of its fields are secret. New kinds (IKEv2 with PSK or certificates) are
 * added here without changing the messages that carry profiles.
 */
public enum ProfileKind {
    /** Manually keyed SAs, the static-key format of {@code docs/static-keys.md}. */
    @SerializedName("static-key") STATIC_KEY,
    /**
     * An IKEv2 road-warrior connection authenticated with a pre-shared key; {@code config} is
     * described in {@code docs/control-api.md} ("IKEv2 profiles"). Its {@code psk} is a secret.
     */
    @SerializedName("ikev2-psk") IKEV2_PSK,
    /**
     * An IKEv2 road-warrior gateway (the responder): clients connect to it and get a virtual
     * address from its pool; {@code config} is described in {@code docs/control-api.md}
     * ("Gateway profiles"). Its {@code psk} or private {@code key} is a secret.
     */
    @SerializedName("ikev2-gateway") IKEV2_GATEWAY
}
