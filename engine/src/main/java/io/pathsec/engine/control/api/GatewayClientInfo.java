package io.pathsec.engine.control.api;

import java.util.List;

/**
 * One road warrior connected to a gateway profile, as {@code gateway.clients} shows it. Traffic
 * is counted on its SAs: {@code sent} on the outbound ones (towards the client), {@code received}
 * on the inbound ones.
 *
 * @param identity     the IKE identity it authenticated as (IDi, RFC 7296 §3.5)
 * @param virtualIp    the IPv4 address the gateway gave it (INTERNAL_IP4_ADDRESS), or null
 * @param virtualIp6   the IPv6 address (INTERNAL_IP6_ADDRESS), or null
 * @param outerAddress where its IKE and ESP come from, {@code address:port} (after any NAT)
 * @param mode         {@code tunnel} or {@code transport} (RFC 7296 §1.3.1)
 * @param ikeSuite     the IKE SA's negotiated algorithms
 * @param speaksPathSec whether it announced PathSec's extensions (explicit ICMP SA, IKE relay, TCP-MSS)
 * @param sas          its SAs, sorted by SPI, without keys
 * @param pmtu         the path MTU state of each SA towards it (RFC 4301 §8.2)
 */
public record GatewayClientInfo(String identity, String virtualIp, String virtualIp6, String outerAddress,
                                String mode, String ikeSuite, boolean speaksPathSec, List<SaInfo> sas,
                                List<PmtuReport.Sa> pmtu, long sentPackets, long sentBytes, long receivedPackets,
                                long receivedBytes) {
}
