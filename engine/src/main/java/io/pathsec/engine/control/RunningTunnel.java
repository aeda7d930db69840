package io.pathsec.engine.control;

import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.policy.SecurityAssociation;

import java.util.List;

/** A tunnel the daemon holds up, as the control API sees it; closing it removes all it added. */
public interface RunningTunnel extends AutoCloseable {
    String device();

    Counters counters();

    /** Without keys. */
    List<SaInfo> securityAssociations();

    /**
     * The SAs with their keys, only for a diagnostics bundle's Wireshark file, which the user
     * asked for; nothing else may call it.
     */
    default List<SecurityAssociation> keyedSecurityAssociations() {
        return List.of();
    }

    /**
     * The path MTU state of each live outbound SA, read again on each call (a rekey may add one);
     * empty when the data path keeps none.
     */
    default List<PmtuState> pmtuStates() {
        return List.of();
    }

    @Override
    void close();
}
