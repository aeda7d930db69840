package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.policy.AddressRange;

import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;

/** Traffic selector helpers (RFC 7296 §2.9): whole-family selectors, narrowing, text. */
final class TrafficSelectors {
    private TrafficSelectors() {
    }

    static TrafficSelector allIpv4() {
        return TrafficSelector.range(AddressRange.parseAddress("0.0.0.0"), AddressRange.parseAddress("255.255.255.255"));
    }

    static TrafficSelector allIpv6() {
        return TrafficSelector.range(AddressRange.parseAddress("::"),
                AddressRange.parseAddress("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    }

    static TrafficSelector of(AddressRange range) {
        return TrafficSelector.range(range.low(), range.high());
    }

    static TrafficSelector single(InetAddress address) {
        return TrafficSelector.range(address, address);
    }

    static AddressRange range(TrafficSelector ts) {
        return AddressRange.range(ts.startAddress(), ts.endAddress());
    }

    /** Whether {@code inner} lies inside {@code outer} (address and port ranges, protocol). */
    static boolean within(TrafficSelector inner, TrafficSelector outer) {
        if (inner.type() != outer.type()) {
            return false;
        }
        AddressRange o = range(outer);
        boolean addresses = o.contains(inner.startAddress()) && o.contains(inner.endAddress());
        boolean protocol = outer.ipProtocol() == 0 || outer.ipProtocol() == inner.ipProtocol();
        boolean ports = outer.startPort() <= inner.startPort() && inner.endPort() <= outer.endPort();
        return addresses && protocol && ports;
    }

    /** Every selector of {@code narrowed} lies within one of {@code proposed} (§2.9: narrowing only). */
    static boolean allWithin(List<TrafficSelector> narrowed, List<TrafficSelector> proposed) {
        return !narrowed.isEmpty() && narrowed.stream().allMatch(n -> proposed.stream().anyMatch(p -> within(n, p)));
    }

    static String describe(List<TrafficSelector> selectors) {
        return selectors.stream().map(TrafficSelectors::describe).collect(Collectors.joining(",", "[", "]"));
    }

    static String describe(TrafficSelector ts) {
        String r = range(ts).toString();
        boolean anyPort = ts.startPort() == 0 && ts.endPort() == 65535;
        return ts.ipProtocol() == 0 && anyPort ? r : r + "[" + ts.ipProtocol() + "/" + ts.startPort() + "-" + ts.endPort() + "]";
    }
}
