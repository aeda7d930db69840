package io.pathsec.engine.ike.session;

import io.pathsec.engine.policy.AddressRange;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Virtual addresses a gateway hands out with CP(CFG_REPLY) (RFC 7296 §2.19): INTERNAL_IP4_ADDRESS
 * from an IPv4 prefix and, when configured, INTERNAL_IP6_ADDRESS from an IPv6 prefix. One lease
 * per peer identity and family, so a reconnecting client gets its addresses back. A lease counts
 * its holders: while a reconnecting client's old IKE SA still exists, its end does not free the
 * address the new one uses.
 */
public final class AddressPool {
    private final Family ipv4;
    private final Family ipv6;

    /** An IPv4 pool only. */
    public AddressPool(AddressRange prefix) {
        this(prefix, null);
    }

    /**
     * @param ipv4 an IPv4 prefix (network and broadcast addresses are skipped), or null
     * @param ipv6 an IPv6 prefix (its first address, the subnet-router anycast address of
     *             RFC 4291 §2.6.1, is skipped), or null
     */
    public AddressPool(AddressRange ipv4, AddressRange ipv6) {
        if (ipv4 != null && ipv4.low().getAddress().length != 4) {
            throw new IllegalArgumentException("the IPv4 pool " + ipv4 + " is not IPv4");
        }
        if (ipv6 != null && ipv6.low().getAddress().length != 16) {
            throw new IllegalArgumentException("the IPv6 pool " + ipv6 + " is not IPv6");
        }
        this.ipv4 = ipv4 == null ? null : new Family(ipv4, 4);
        this.ipv6 = ipv6 == null ? null : new Family(ipv6, 16);
    }

    /** The IPv4 address leased to {@code identity}, leasing a free one if needed; empty when exhausted or none. */
    public Optional<InetAddress> lease(String identity) {
        return ipv4 == null ? Optional.empty() : ipv4.lease(identity);
    }

    /** The IPv6 address leased to {@code identity}; empty when this pool has no IPv6 prefix or it is exhausted. */
    public Optional<InetAddress> lease6(String identity) {
        return ipv6 == null ? Optional.empty() : ipv6.lease(identity);
    }

    /** The prefix length clients get with INTERNAL_IP6_ADDRESS (§3.15.1), 128 without an IPv6 pool. */
    public int ipv6PrefixLength() {
        return ipv6 == null ? 128 : ipv6.prefixLength;
    }

    public boolean hasIpv6() {
        return ipv6 != null;
    }

    /** Ends one holder's leases (both families); an address is free again when its last holder released it. */
    public void release(String identity) {
        if (ipv4 != null) {
            ipv4.release(identity);
        }
        if (ipv6 != null) {
            ipv6.release(identity);
        }
    }

    /** Release of the IPv6 lease alone (the IPv4 one is released by {@link #release}). */
    public void release6(String identity) {
        if (ipv6 != null) {
            ipv6.release(identity);
        }
    }

    /** Addresses leased now, both families. */
    public int leased() {
        return (ipv4 == null ? 0 : ipv4.leased()) + (ipv6 == null ? 0 : ipv6.leased());
    }

    /** The leases of one address family. */
    private static final class Family {
        private final BigInteger first;
        private final BigInteger last;
        private final int length;
        private final int prefixLength;
        private final Map<String, InetAddress> leases = new HashMap<>();
        private final Map<InetAddress, String> owners = new HashMap<>();
        private final Map<String, Integer> holders = new HashMap<>();

        Family(AddressRange prefix, int length) {
            this.length = length;
            BigInteger low = new BigInteger(1, prefix.low().getAddress());
            BigInteger high = new BigInteger(1, prefix.high().getAddress());
            this.prefixLength = length * 8 - high.subtract(low).add(BigInteger.ONE).bitLength() + 1;
            boolean spare = high.subtract(low).compareTo(BigInteger.ONE) > 0;
            this.first = spare ? low.add(BigInteger.ONE) : low;
            // IPv4 skips the broadcast address; IPv6 has none.
            this.last = spare && length == 4 ? high.subtract(BigInteger.ONE) : high;
        }

        synchronized Optional<InetAddress> lease(String identity) {
            InetAddress existing = leases.get(identity);
            if (existing != null) {
                holders.merge(identity, 1, Integer::sum);
                return Optional.of(existing);
            }
            // Bounded by the leases held: at most that many addresses are taken before a free one.
            for (BigInteger v = first; v.compareTo(last) <= 0 && v.subtract(first).intValue() <= owners.size();
                 v = v.add(BigInteger.ONE)) {
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

        synchronized void release(String identity) {
            if (!holders.containsKey(identity)) {
                return;
            }
            Integer left = holders.computeIfPresent(identity, (k, n) -> n > 1 ? n - 1 : null);
            if (left != null) {
                return;
            }
            InetAddress a = leases.remove(identity);
            if (a != null) {
                owners.remove(a);
            }
        }

        synchronized int leased() {
            return leases.size();
        }

        private InetAddress toAddress(BigInteger v) {
            byte[] raw = v.toByteArray();
            byte[] out = new byte[length];
            int n = Math.min(length, raw.length);
            System.arraycopy(raw, raw.length - n, out, length - n, n);
            try {
                return InetAddress.getByAddress(out);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
