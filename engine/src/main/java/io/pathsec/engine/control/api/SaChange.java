package io.pathsec.engine.control.api;

import com.google.gson.annotations.SerializedName;

/** What happened to a security association (RFC 7296 §1.3, §2.8). */
public enum SaChange {
    /** A CHILD_SA carries traffic: the first one, or a static-key pair at connect. */
    @SerializedName("up") UP,
    /** A CHILD_SA replaced another: the new one sends from now on, the old one is retired. */
    @SerializedName("rekeyed") REKEYED,
    /** A CHILD_SA left the data path (deleted, or retired after a rekey). */
    @SerializedName("down") DOWN,
    /** The IKE SA was rekeyed; the CHILD_SAs carry on unchanged. */
    @SerializedName("ike-rekeyed") IKE_REKEYED
}
