package io.pathsec.engine.gateway;

import io.pathsec.engine.ike.session.IkeResponder;
import io.pathsec.engine.ike.session.IkeSessionListener;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.policy.Selector;
import io.pathsec.engine.policy.SpdEntry;

import java.util.List;

/**
 * One connected client of a gateway: its IKE session, what it negotiated, and what the gateway
 * installed for it — its two SAs, its SPD entries (remote = its virtual address, so the outbound
 * lookup finds it) and any routes only it needs.
 *
 * @param sas          every SA installed for it: two per CHILD_SA, more while a rekey overlaps (RFC 7296 §2.8)
 * @param policyRoutes prefixes routed into the TUN through the policy table (host-to-host peers,
 *                     whose outer address is also their inner one)
 */
record GatewayClient(IkeResponder session, IkeSessionListener.Established info, String binding,
                     java.net.InetSocketAddress peer, List<Selector> selectors, List<SecurityAssociation> sas,
                     List<SpdEntry> spdEntries, List<String> policyRoutes) {
    GatewayClient {
        selectors = List.copyOf(selectors);
        sas = List.copyOf(sas);
        spdEntries = List.copyOf(spdEntries);
        policyRoutes = List.copyOf(policyRoutes);
    }

    GatewayClient withSas(List<SecurityAssociation> newSas) {
        return new GatewayClient(session, info, binding, peer, selectors, newSas, spdEntries, policyRoutes);
    }
}
