package io.pathsec.engine.policy;

import io.pathsec.engine.packet.FlowKey;

/** Builds {@link FlowKey}s from text for tests: the packet as it leaves its source. */
final class Flows {
    private Flows() {
    }

    static FlowKey flow(String source, String destination, int protocol, int sourcePort,
                        int destinationPort) {
        byte[] src = AddressRange.parseAddress(source).getAddress();
        byte[] dst = AddressRange.parseAddress(destination).getAddress();
        return new FlowKey().set(src.length == 4 ? 4 : 6, src, dst, protocol, sourcePort,
                destinationPort, -1, -1);
    }

    static FlowKey tcp(String source, int sourcePort, String destination, int destinationPort) {
        return flow(source, destination, FlowKey.PROTO_TCP, sourcePort, destinationPort);
    }

    static FlowKey udp(String source, int sourcePort, String destination, int destinationPort) {
        return flow(source, destination, FlowKey.PROTO_UDP, sourcePort, destinationPort);
    }

    /** A non-first fragment: ports unavailable. */
    static FlowKey fragment(String source, String destination, int protocol) {
        return flow(source, destination, protocol, -1, -1);
    }

    static FlowKey icmp(String source, String destination, int type, int code) {
        byte[] src = AddressRange.parseAddress(source).getAddress();
        byte[] dst = AddressRange.parseAddress(destination).getAddress();
        int version = src.length == 4 ? 4 : 6;
        return new FlowKey().set(version, src, dst,
                version == 4 ? FlowKey.PROTO_ICMP : FlowKey.PROTO_ICMPV6, -1, -1, type, code);
    }
}
