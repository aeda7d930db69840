package io.pathsec.ui.state;

import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.Rates;
import io.pathsec.engine.control.api.TunnelState;

/**
 * What the GUI knows about one profile's tunnel at a moment: immutable, so a change is a new
 * snapshot and observers compare by {@code equals}.
 *
 * @param device the TUN device while connected, else null
 * @param error the daemon's reason for the last failure, else null
 * @param counters null until the first counters arrive for a connected tunnel
 */
public record TunnelSnapshot(String profile, TunnelState state, String device, String error, Counters counters,
                             Rates rates) {

    public static TunnelSnapshot disconnected(String profile) {
        return new TunnelSnapshot(profile, TunnelState.DISCONNECTED, null, null, null, Rates.ZERO);
    }

    public boolean connected() {
        return state == TunnelState.CONNECTED;
    }

    /** A tunnel in the middle of a change: buttons wait, a progress indicator turns. */
    public boolean busy() {
        return state == TunnelState.CONNECTING || state == TunnelState.DISCONNECTING;
    }

    TunnelSnapshot withState(TunnelState next, String nextDevice, String nextError) {
        boolean up = next == TunnelState.CONNECTED;
        return new TunnelSnapshot(profile, next, nextDevice, nextError, up ? counters : null, up ? rates : Rates.ZERO);
    }

    TunnelSnapshot withCounters(String nextDevice, Counters nextCounters, Rates nextRates) {
        return new TunnelSnapshot(profile, state, nextDevice == null ? device : nextDevice, error, nextCounters,
                nextRates);
    }
}
