package io.pathsec.engine.control.api;

import com.google.gson.annotations.SerializedName;

/** Where a profile's tunnel is in its life. */
public enum TunnelState {
    @SerializedName("disconnected") DISCONNECTED,
    @SerializedName("connecting") CONNECTING,
    @SerializedName("connected") CONNECTED,
    @SerializedName("disconnecting") DISCONNECTING,
    /** The last connect failed; {@link TunnelInfo#error()} says why. */
    @SerializedName("failed") FAILED
}
