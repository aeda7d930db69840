package io.pathsec.engine.control.api;

import com.google.gson.annotations.SerializedName;

/** What a gateway did with one ICMP error ({@link IcmpDecision}). */
public enum IcmpOutcome {
    /** Sent to the peer on an SA ({@link IcmpDecision#sa()} names it). */
    @SerializedName("forwarded") FORWARDED,
    /** Held until the explicit ICMP CHILD_SA is up (bounded queue). */
    @SerializedName("queued") QUEUED,
    /** Sent to the peer inside an IKE INFORMATIONAL exchange. */
    @SerializedName("relayed") RELAYED,
    /** Received from the peer, checked against the SA's selectors, and written towards the end node. */
    @SerializedName("delivered") DELIVERED,
    /** Not carried; {@link IcmpDecision#reason()} says why. */
    @SerializedName("dropped") DROPPED
}
