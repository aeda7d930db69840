package io.pathsec.engine.gateway;

import io.pathsec.engine.ike.session.IkeResponder;
import io.pathsec.engine.ike.session.IkeSessionListener;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.policy.SpdEntry;

import java.util.List;

/**
 * One connected client of a gateway: its IKE session, what it negotiated, and what the gateway
 * installed for it — its two SAs, its SPD entries (remote = its virtual address, so the outbound
 * lookup finds it) and any routes only it needs.
 *
 * @param policyRoutes prefixes routed into the TUN through the policy table (host-to-host peers,
 *                     whose outer address is also their inner one)
 */
record GatewayClient(IkeResponder session, IkeSessionListener.Established info, String binding,
                     List<SecurityAssociation> sas, List<SpdEntry> spdEntries, List<String> policyRoutes) {
    GatewayClient {
        sas = List.copyOf(sas);
        spdEntries = List.copyOf(spdEntries);
        policyRoutes = List.copyOf(policyRoutes);
    }
}
