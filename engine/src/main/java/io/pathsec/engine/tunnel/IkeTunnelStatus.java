package io.pathsec.engine.tunnel;

import java.util.ArrayList;
import java.util.List;

/** What {@link IkeTunnelService} reports in its status file (JSON via Gson). */
public final class IkeTunnelStatus {
    /** CONNECTING, ESTABLISHED, FAILED or CLOSED. */
    public String state;
    public String device;
    public String virtualIp;
    public String peer;
    public String peerIdentity;
    public String ikeSuite;
    public String childSa;
    public boolean natTraversal;
    /** A user-readable error when FAILED, and its {@code IkeSessionException.Reason}. */
    public String error;
    public String reason;
    public List<String> securityAssociations = new ArrayList<>();
}
