package io.pathsec.engine.control.api;

import com.google.gson.annotations.SerializedName;

/**
 * How ICMP errors that match no SA's selectors cross the tunnel (DESIGN.md "ICMP handling",
 * draft-ietf-ipsec-icmp-options, RFC 4301 §6). Stored per profile; applied by a later issue.
 */
public enum IcmpHandling {
    @SerializedName("discard") DISCARD,
    @SerializedName("explicit-sa") EXPLICIT_SA,
    @SerializedName("implicit") IMPLICIT,
    @SerializedName("relay-ike") RELAY_IKE
}
