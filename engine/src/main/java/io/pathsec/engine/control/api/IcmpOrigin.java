package io.pathsec.engine.control.api;

import com.google.gson.annotations.SerializedName;

/**
 * Where an ICMP error came from, in the draft's terms (draft-ietf-ipsec-icmp-options-00 §1.1,
 * §2: G2 hears ICMP from G1, R1, R2 and E2).
 */
public enum IcmpOrigin {
    /** From the protected side, sent by the end node the quoted packet was addressed to (E2). */
    @SerializedName("end-node") END_NODE,
    /** From the protected side, sent by a router between the gateway and the end node (R3 inside G2's network). */
    @SerializedName("inside-router") INSIDE_ROUTER,
    /** From the unprotected side, in clear: a router on the outer path (R1, R2) or anyone forging one (RFC 4301 §6.1.1). */
    @SerializedName("outer-path") OUTER_PATH,
    /** Arrived from the peer gateway through the tunnel: on an SA, or relayed in IKE (RFC 4301 §6.2). */
    @SerializedName("peer-gateway") PEER_GATEWAY
}
