package io.pathsec.engine.control.api;

import com.google.gson.annotations.SerializedName;

/** The path-MTU sources of DESIGN.md "Path MTU"; a profile enables any subset. */
public enum PmtuMethod {
    /** Outer ICMP Fragmentation Needed / Packet Too Big, validated (RFC 4301 §8.2). */
    @SerializedName("classic") CLASSIC,
    /** RFC 8899 probes carried in IKE INFORMATIONAL exchanges. */
    @SerializedName("dplpmtud") DPLPMTUD,
    /** The seed proposal: an authenticated TCP connection reads the clamped MSS. */
    @SerializedName("tcp-mss") TCP_MSS,
    @SerializedName("black-hole-detection") BLACK_HOLE_DETECTION
}
