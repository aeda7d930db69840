package io.pathsec.engine.icmp;

import io.pathsec.engine.packet.FlowKey;
import io.pathsec.engine.policy.SecurityAssociation;

/** The data path's SPD and SAD as ICMP handling needs them: the SA that carries an outbound flow. */
public interface IcmpSaLookup {
    /** The live outbound SA that the SPD picks for {@code flow} and whose selectors admit it, or null. */
    SecurityAssociation outboundSaFor(FlowKey flow);
}
