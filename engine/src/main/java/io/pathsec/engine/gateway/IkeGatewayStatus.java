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
    public List<ClientStatus> clients = new ArrayList<>();
    /** Why recent sessions ended badly, oldest first ("CERTIFICATE_NOT_TRUSTED: certificate not trusted: …"). */
    public List<String> recentFailures = new ArrayList<>();

    /** One connected client. */
    public static final class ClientStatus {
        public String identity;
        public String peer;
        public String virtualIp;
        public String childSa;
        /** TUNNEL or TRANSPORT (RFC 7296 §1.3.1). */
        public String mode;
        public boolean speaksPathSec;
        public List<String> securityAssociations = new ArrayList<>();
    }
}
