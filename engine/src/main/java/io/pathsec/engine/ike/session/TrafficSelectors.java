package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.policy.AddressRange;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
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

    /**
     * The part of {@code a} that {@code b} also covers (RFC 7296 §2.9: a responder narrows to a
     * subset of what was proposed): the common address range, protocol (0 is any) and port range;
     * empty when they share nothing. OPAQUE port ranges (start above end) intersect only
     * themselves.
     */
    static Optional<TrafficSelector> intersect(TrafficSelector a, TrafficSelector b) {
        if (a.type() != b.type()) {
            return Optional.empty();
        }
        if (a.ipProtocol() != 0 && b.ipProtocol() != 0 && a.ipProtocol() != b.ipProtocol()) {
            return Optional.empty();
        }
        int protocol = a.ipProtocol() != 0 ? a.ipProtocol() : b.ipProtocol();
        int startPort = Math.max(a.startPort(), b.startPort());
        int endPort = Math.min(a.endPort(), b.endPort());
        if (startPort > endPort) {
            boolean bothOpaque = a.startPort() > a.endPort() && b.startPort() > b.endPort();
            if (!bothOpaque) {
                return Optional.empty();
            }
            startPort = a.startPort();
            endPort = a.endPort();
        }
        java.math.BigInteger lowA = unsigned(a.startAddress());
        java.math.BigInteger lowB = unsigned(b.startAddress());
        java.math.BigInteger highA = unsigned(a.endAddress());
        java.math.BigInteger highB = unsigned(b.endAddress());
        InetAddress low = lowA.compareTo(lowB) >= 0 ? a.startAddress() : b.startAddress();
        InetAddress high = highA.compareTo(highB) <= 0 ? a.endAddress() : b.endAddress();
        if (unsigned(low).compareTo(unsigned(high)) > 0) {
            return Optional.empty();
        }
        return Optional.of(new TrafficSelector(a.type(), protocol, startPort, endPort, low, high));
    }

    /**
     * §2.9 narrowing by a responder: each of {@code ours} intersected with each of {@code
     * theirs}, in our order, without repeats.
     */
    static List<TrafficSelector> narrow(List<TrafficSelector> ours, List<TrafficSelector> theirs) {
        List<TrafficSelector> out = new java.util.ArrayList<>();
        for (TrafficSelector o : ours) {
            for (TrafficSelector t : theirs) {
                intersect(o, t).filter(x -> !out.contains(x)).ifPresent(out::add);
            }
        }
        return out;
    }

    private static java.math.BigInteger unsigned(InetAddress address) {
        return new java.math.BigInteger(1, address.getAddress());
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
