package io.pathsec.engine.control.api;

import com.google.gson.annotations.SerializedName;

/** The outer IPv4 DF bit of a profile's SAs (RFC 4301 §8.1); the engine's {@code OuterDf}. */
public enum OuterDfBit {
    /** As the inner packet has it. */
    @SerializedName("copy") COPY,
    /** Always set (the default): routers report rather than fragment. */
    @SerializedName("set") SET,
    /** Always clear: routers may fragment the ESP packets. */
    @SerializedName("clear") CLEAR
}
