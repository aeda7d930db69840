package io.pathsec.ui.icmp;

import io.pathsec.engine.control.api.IcmpDecision;
import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.IcmpOrigin;
import io.pathsec.engine.control.api.IcmpOutcome;
import io.pathsec.engine.control.api.IcmpQuotedFlow;

/** {@code icmp.decision} events as the engine publishes them, for the GUI's tests. */
public final class IcmpDecisions {
    private IcmpDecisions() {
    }

    /** A Port Unreachable from 10.2.0.10 quoting UDP 10.1.0.10:40000 -> 10.2.0.10:5001, under the implicit option. */
    public static IcmpDecision portUnreachable(String profile, long at, IcmpOrigin origin, IcmpOutcome outcome,
                                               String sa, String reason) {
        return new IcmpDecision(profile, at, origin, "10.2.0.10", 4, 3, 3, "destination-unreachable/port-unreachable",
                new IcmpQuotedFlow("udp", "10.1.0.10", 40000, "10.2.0.10", 5001), IcmpHandling.IMPLICIT, outcome, sa,
                reason, "port-unreachable from 10.2.0.10");
    }
}
