package io.pathsec.engine.control;

import io.pathsec.engine.control.api.GatewayClientInfo;

import java.util.List;

/** A running gateway profile: a tunnel whose far ends are the road warriors connected to it. */
public interface GatewayTunnel extends RunningTunnel {
    /** The connected clients, read now. */
    List<GatewayClientInfo> clients();
}
