package io.pathsec.engine.tunnel;

import io.pathsec.engine.datapath.TunnelStats;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.policy.SecurityAssociation;

import java.util.List;

/**
 * What every running tunnel shows, however it was keyed (static keys or IKEv2): its device,
 * counters, SAs and per-SA path-MTU state. The daemon and the status writers see tunnels
 * through this.
 */
public interface Tunnel extends AutoCloseable {

    String deviceName();

    TunnelStats stats();

    /** The SAs as installed, keys included: for the data path and the diagnostics bundle only. */
    List<SecurityAssociation> securityAssociations();

    List<PmtuState> pmtuStates();

    /** Takes the tunnel down: device, routes, rules, sockets. */
    @Override
    void close();
}
