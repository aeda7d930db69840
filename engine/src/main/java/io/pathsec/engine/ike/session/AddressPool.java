package io.pathsec.engine.ike.session;

import io.pathsec.engine.policy.AddressRange;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Virtual IPv4 addresses a gateway hands out with CP(CFG_REPLY) (RFC 7296 §2.19): the hosts of a
 * prefix, skipping the network and broadcast addresses; one lease per peer identity, so a
 * reconnecting client gets its address back. A lease counts its holders: while a reconnecting
 * client's old IKE SA still exists, its end does not free the address the new one uses.
 */
public final class AddressPool {
    private final BigInteger first;
    private final BigInteger last;
    private final Map<String, InetAddress> leases = new HashMap<>();
    private final Map<InetAddress, String> owners = new HashMap<>();
    private final Map<String, Integer> holders = new HashMap<>();

    public AddressPool(AddressRange prefix) {
        BigInteger low = new BigInteger(1, prefix.low().getAddress());
        BigInteger high = new BigInteger(1, prefix.high().getAddress());
        boolean hasNetworkAndBroadcast = high.subtract(low).compareTo(BigInteger.ONE) > 0;
        this.first = hasNetworkAndBroadcast ? low.add(BigInteger.ONE) : low;
        this.last = hasNetworkAndBroadcast ? high.subtract(BigInteger.ONE) : high;
    }

    /** The address leased to {@code identity}, leasing a free one if needed; empty when exhausted. */
    public synchronized Optional<InetAddress> lease(String identity) {
        InetAddress existing = leases.get(identity);
        if (existing != null) {
            holders.merge(identity, 1, Integer::sum);
            return Optional.of(existing);
        }
        for (BigInteger v = first; v.compareTo(last) <= 0; v = v.add(BigInteger.ONE)) {
            InetAddress a = toAddress(v);
            if (!owners.containsKey(a)) {
                leases.put(identity, a);
                owners.put(a, identity);
                holders.put(identity, 1);
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Ends one holder's lease; the address is free again when the last holder released it. */
    public synchronized void release(String identity) {
        Integer left = holders.computeIfPresent(identity, (k, n) -> n > 1 ? n - 1 : null);
        if (left != null) {
            return;
        }
        InetAddress a = leases.remove(identity);
        if (a != null) {
            owners.remove(a);
        }
    }

    /** Addresses leased now. */
    public synchronized int leased() {
        return leases.size();
    }

    private static InetAddress toAddress(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[4];
        int n = Math.min(4, raw.length);
        System.arraycopy(raw, raw.length - n, out, 4 - n, n);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
