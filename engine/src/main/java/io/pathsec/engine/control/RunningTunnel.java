package io.pathsec.engine.control;

import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.SaInfo;

import java.util.List;

/** A tunnel the daemon holds up, as the control API sees it; closing it removes all it added. */
public interface RunningTunnel extends AutoCloseable {
    String device();

    Counters counters();

    /** Without keys. */
    List<SaInfo> securityAssociations();

    @Override
    void close();
}
