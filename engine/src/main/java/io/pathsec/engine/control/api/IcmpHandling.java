package io.pathsec.engine.control.api;

import com.google.gson.annotations.SerializedName;

/**
 * How ICMP errors that must cross the tunnel but match no SA's selectors are carried
 * (DESIGN.md "ICMP handling", draft-ietf-ipsec-icmp-options-00 §4-§7, RFC 4301 §6.2). Stored per
 * profile; docs/icmp.md has the outcome table.
 */
public enum IcmpHandling {
    /** Drop, count and log the error; a dropped Frag Needed / Packet Too Big may ask for a PMTU probe. */
    @SerializedName("discard") DISCARD,
    /** Carry it on an extra CHILD_SA for ICMP, negotiated on demand, at least as strong as the data SAs. */
    @SerializedName("explicit-sa") EXPLICIT_SA,
    /** Carry it on the SA of the quoted packet; the receiver checks the reversed quote against that SA. */
    @SerializedName("implicit") IMPLICIT,
    /**
     * Carry it in an IKE INFORMATIONAL private Notify (both peers sent the PathSec Vendor ID).
     * {@code relay-ike} is the first name this setting had and is still read.
     */
    @SerializedName(value = "ike-relay", alternate = {"relay-ike"}) RELAY_IKE
}
