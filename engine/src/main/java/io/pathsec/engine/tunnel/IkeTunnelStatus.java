package io.pathsec.engine.tunnel;

import java.util.ArrayList;
import java.util.List;

/** What {@link IkeTunnelService} reports in its status file (JSON via Gson). */
public final class IkeTunnelStatus {
    /** CONNECTING, ESTABLISHED, FAILED or CLOSED. */
    public String state;
    public String device;
    public String virtualIp;
    /** INTERNAL_IP6_ADDRESS, when the profile asked for IPv6 and the gateway assigned one. */
    public String virtualIp6;
    /** Our outer address is translated by a NAT (RFC 7296 §2.23); we send NAT-keepalives. */
    public boolean behindNat;
    public String peer;
    public String peerIdentity;
    public String ikeSuite;
    public String childSa;
    public boolean natTraversal;
    /** TUNNEL or TRANSPORT (RFC 7296 §1.3.1). */
    public String mode;
    /** The gateway sent PathSec's Vendor ID. */
    public boolean speaksPathSec;
    /** A user-readable error when FAILED, and its {@code IkeSessionException.Reason}. */
    public String error;
    public String reason;
    public List<String> securityAssociations = new ArrayList<>();
    /** Completed rekeys since the tunnel came up (RFC 7296 §1.3.2, §1.3.3), either side initiating. */
    public long childRekeys;
    public long ikeRekeys;
    /** Data-path drops by {@code DropReason} name: a lossless rekey adds no NO_SA or AUTHENTICATION drops. */
    public java.util.Map<String, Long> inboundDrops = new java.util.TreeMap<>();
    public java.util.Map<String, Long> outboundDrops = new java.util.TreeMap<>();
    /** ICMP decisions by outcome and reason, e.g. {@code delivered} (docs/icmp.md). */
    public java.util.Map<String, Long> icmpDecisions = new java.util.TreeMap<>();
    /** Each outbound SA's path MTU: PLPMTU, effective MTU, each source's last value and time. */
    public List<io.pathsec.engine.pmtu.PmtuStatus> pmtu = new ArrayList<>();
    /** The TCP-MSS method's outcome in words (null until it has one), and its counters. */
    public String tcpMss;
    public io.pathsec.engine.pmtu.tcpmss.TcpMssStats.Counts tcpMssCounts;
    /** The DPLPMTUD prober over the IKE SA (RFC 8899), null when the method is off. */
    public io.pathsec.engine.pmtu.dplpmtud.DplpmtudStatus dplpmtud;
    /** Outer ICMP packet-too-big messages accepted and rejected (classic PMTUD). */
    public io.pathsec.engine.pmtu.OuterIcmpStats outerIcmp;
}
