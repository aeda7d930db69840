package io.pathsec.engine.gateway;

import java.util.ArrayList;
import java.util.List;

/** What {@link IkeGatewayService} reports in its status file (JSON via Gson). */
public final class IkeGatewayStatus {
    /** LISTENING, or STOPPED after SIGTERM. */
    public String state;
    public String device;
    public String listen;
    public int ikeSas;
    public long halfOpen;
    public long cookiesSent;
    /** NAT-keepalives received on port 4500 (RFC 3948 §2.3). */
    public long natKeepalives;
    /** ICMP decisions by outcome and reason, e.g. {@code dropped:discard-option} (docs/icmp.md). */
    public java.util.Map<String, Long> icmpDecisions = new java.util.TreeMap<>();
    public List<ClientStatus> clients = new ArrayList<>();
    /** The TCP-MSS method: exchanges completed, connections refused by reason. */
    public io.pathsec.engine.pmtu.tcpmss.TcpMssStats.Counts tcpMss;
    /** Why recent sessions ended badly, oldest first ("CERTIFICATE_NOT_TRUSTED: certificate not trusted: …"). */
    public List<String> recentFailures = new ArrayList<>();

    /** One connected client. */
    public static final class ClientStatus {
        public String identity;
        public String peer;
        public String virtualIp;
        /** INTERNAL_IP6_ADDRESS, when the gateway has an IPv6 pool and the client asked. */
        public String virtualIp6;
        public String childSa;
        /** TUNNEL or TRANSPORT (RFC 7296 §1.3.1). */
        public String mode;
        public boolean speaksPathSec;
        public List<String> securityAssociations = new ArrayList<>();
        /** The path MTU of each SA towards this client. */
        public List<io.pathsec.engine.pmtu.PmtuStatus> pmtu = new ArrayList<>();
    }
}
