package io.pathsec.engine.control.api;

import com.google.gson.annotations.SerializedName;

/**
 * The steps of bringing a tunnel up, in the order they happen (RFC 7296 §1.2 for the IKE
 * ones). A static-key tunnel goes straight to {@link #INSTALLING}.
 */
public enum ConnectStep {
    /** Looking up the gateway's address and the local address that reaches it. */
    @SerializedName("resolving") RESOLVING,
    /** The IKE_SA_INIT request is out: algorithms, Diffie-Hellman, nonces (§1.2). */
    @SerializedName("ike-sa-init") IKE_SA_INIT,
    /** IKE_SA_INIT answered; the IKE_AUTH request (identities, PSK proof, CHILD_SA) is out. */
    @SerializedName("ike-auth") IKE_AUTH,
    /** Negotiated: SAs, SPD entries, virtual address and routes are being installed. */
    @SerializedName("installing") INSTALLING
}
