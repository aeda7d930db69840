package io.pathsec.engine.policy;

import io.pathsec.engine.packet.FlowKey;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One SAD entry (RFC 4301 §4.4.2.1): the identity and parameters of a unidirectional SA plus
 * its live counters. A plain state holder: no cipher objects, since the data path keeps its own
 * per-thread codec instances keyed by SA. Counters are {@link LongAdder}s because several crypto
 * threads update them at once.
 *
 * <p>The key material is never part of {@link #toString()}.
 */
public final class SecurityAssociation {
    /** Highest sequence number without ESN; the next send would cycle (RFC 4303 §3.3.3). */
    public static final long MAX_SEQUENCE_32 = 0xFFFF_FFFFL;
    /** Highest sequence number with ESN, 2^64-1, as an unsigned long. */
    public static final long MAX_SEQUENCE_64 = -1L;

    private final String name;
    private final int spi;
    private final Direction direction;
    private final String transform;
    private final byte[] key;
    private final IpsecMode mode;
    private final InetSocketAddress localEndpoint;
    private final InetSocketAddress remoteEndpoint;
    private final boolean udpEncapsulation;
    private final boolean extendedSequenceNumbers;
    private final int replayWindow;
    /** An array, not a List, so the per-packet check needs no iterator. */
    private final Selector[] selectors;
    private final Lifetime softLifetime;
    private final Lifetime hardLifetime;
    private final Instant created;

    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder[] drops = new LongAdder[DropReason.values().length];
    /** The last sequence number handed out; 0 before the first packet (numbers start at 1). */
    private final AtomicLong lastSequence = new AtomicLong();

    private SecurityAssociation(Builder b) {
        name = Objects.requireNonNull(b.name, "name");
        spi = b.spi;
        direction = Objects.requireNonNull(b.direction, "direction");
        transform = Objects.requireNonNull(b.transform, "transform");
        key = Objects.requireNonNull(b.key, "key").clone();
        mode = Objects.requireNonNull(b.mode, "mode");
        localEndpoint = Objects.requireNonNull(b.localEndpoint, "localEndpoint");
        remoteEndpoint = Objects.requireNonNull(b.remoteEndpoint, "remoteEndpoint");
        udpEncapsulation = b.udpEncapsulation;
        extendedSequenceNumbers = b.extendedSequenceNumbers;
        replayWindow = b.replayWindow;
        selectors = b.selectors.toArray(new Selector[0]);
        if (selectors.length == 0) {
            throw new IllegalArgumentException("an SA needs at least one selector");
        }
        softLifetime = Objects.requireNonNull(b.softLifetime, "softLifetime");
        hardLifetime = Objects.requireNonNull(b.hardLifetime, "hardLifetime");
        created = Objects.requireNonNull(b.clock, "clock").instant();
        // RFC 4303 §2.1: SPI 0 is reserved for local use and 1-255 are reserved by IANA.
        if (Integer.compareUnsigned(spi, 256) < 0) {
            throw new IllegalArgumentException("SPI " + spi + " is reserved (0-255, RFC 4303 §2.1)");
        }
        if (replayWindow < 0) {
            throw new IllegalArgumentException("replay window must be >= 0");
        }
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new LongAdder();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The SA binding name: outbound SAs are found by it from an SPD entry. */
    public String name() { return name; }
    public int spi() { return spi; }
    public Direction direction() { return direction; }
    /** The ESP transform by name, e.g. {@code aes256gcm16}; the data path maps it to a codec. */
    public String transform() { return transform; }
    public IpsecMode mode() { return mode; }
    public InetSocketAddress localEndpoint() { return localEndpoint; }
    public InetSocketAddress remoteEndpoint() { return remoteEndpoint; }
    /** ESP in UDP (RFC 3948) rather than raw IP protocol 50. */
    public boolean udpEncapsulation() { return udpEncapsulation; }
    public boolean extendedSequenceNumbers() { return extendedSequenceNumbers; }
    /** Anti-replay window in packets for inbound SAs; 0 disables the check (RFC 4303 §3.4.3). */
    public int replayWindow() { return replayWindow; }
    /**
     * The traffic this SA may carry, as a set of selectors (IKEv2 negotiates lists of traffic
     * selectors, RFC 7296 §2.9); a packet is allowed if any one matches.
     */
    public List<Selector> selectors() { return List.of(selectors); }

    /**
     * Whether a decrypted inbound packet is one this SA may carry: the anti-spoofing check of
     * RFC 4301 §5.2 step 4. Allocates nothing.
     */
    public boolean allowsInbound(FlowKey key) {
        for (Selector selector : selectors) {
            if (selector.matchesInbound(key)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an outbound packet falls within this SA's selectors. Allocates nothing. */
    public boolean allowsOutbound(FlowKey key) {
        for (Selector selector : selectors) {
            if (selector.matchesOutbound(key)) {
                return true;
            }
        }
        return false;
    }
    public Lifetime softLifetime() { return softLifetime; }
    public Lifetime hardLifetime() { return hardLifetime; }
    public Instant created() { return created; }

    /** A copy of the key material (cipher key followed by salt or integrity key). */
    public byte[] keyMaterial() {
        return key.clone();
    }

    /**
     * The next outbound sequence number, starting at 1, or 0 when the space is used up: the SA
     * must never cycle (RFC 4303 §3.3.3) and is then hard-expired. The limit is 2^32-1 without
     * ESN and 2^64-1 with it.
     */
    public long nextSequenceNumber() {
        long max = maxSequence();
        while (true) {
            long last = lastSequence.get();
            if (last == max) {
                return 0;
            }
            if (lastSequence.compareAndSet(last, last + 1)) {
                return last + 1;
            }
        }
    }

    /** The last sequence number handed out, 0 before the first. Unsigned with ESN. */
    public long lastSequenceNumber() {
        return lastSequence.get();
    }

    public boolean sequenceNumbersExhausted() {
        return lastSequence.get() == maxSequence();
    }

    private long maxSequence() {
        return extendedSequenceNumbers ? MAX_SEQUENCE_64 : MAX_SEQUENCE_32;
    }

    /** Counts one packet of {@code length} bytes carried by this SA. */
    public void countPacket(int length) {
        packets.increment();
        bytes.add(length);
    }

    public void countDrop(DropReason reason) {
        drops[reason.ordinal()].increment();
    }

    public long packets() { return packets.sum(); }
    public long bytes() { return bytes.sum(); }
    public long drops(DropReason reason) { return drops[reason.ordinal()].sum(); }

    /**
     * Where this SA stands against its lifetimes at {@code now}. Running out of sequence numbers
     * is a hard expiry too (RFC 4303 §3.3.3).
     */
    public LifetimeState expiry(Instant now) {
        long usedBytes = bytes.sum();
        long usedPackets = packets.sum();
        long age = Duration.between(created, now).getSeconds();
        if (sequenceNumbersExhausted() || hardLifetime.reached(usedBytes, usedPackets, age)) {
            return LifetimeState.HARD;
        }
        if (softLifetime.reached(usedBytes, usedPackets, age)) {
            return LifetimeState.SOFT;
        }
        return LifetimeState.NONE;
    }

    @Override
    public String toString() {
        return "SA " + name + " " + direction.name().toLowerCase() + " spi 0x"
                + String.format("%08x", spi) + " " + transform + " " + mode.name().toLowerCase()
                + " " + localEndpoint + " -> " + remoteEndpoint
                + (udpEncapsulation ? " udp-encap" : "") + " " + List.of(selectors);
    }

    /** Builds an SA; every field but the flags, the replay window and lifetimes is required. */
    public static final class Builder {
        private String name;
        private int spi;
        private Direction direction;
        private String transform;
        private byte[] key;
        private IpsecMode mode = IpsecMode.TUNNEL;
        private InetSocketAddress localEndpoint;
        private InetSocketAddress remoteEndpoint;
        private boolean udpEncapsulation = true;
        private boolean extendedSequenceNumbers = true;
        private int replayWindow;
        private List<Selector> selectors = List.of(Selector.ANY);
        private Lifetime softLifetime = Lifetime.UNLIMITED;
        private Lifetime hardLifetime = Lifetime.UNLIMITED;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder name(String name) { this.name = name; return this; }
        public Builder spi(int spi) { this.spi = spi; return this; }
        public Builder direction(Direction direction) { this.direction = direction; return this; }
        public Builder transform(String transform) { this.transform = transform; return this; }
        /** Copied; the caller may wipe its array afterwards. */
        public Builder key(byte[] key) { this.key = key == null ? null : key.clone(); return this; }
        public Builder mode(IpsecMode mode) { this.mode = mode; return this; }
        public Builder localEndpoint(InetSocketAddress a) { this.localEndpoint = a; return this; }
        public Builder remoteEndpoint(InetSocketAddress a) { this.remoteEndpoint = a; return this; }
        public Builder udpEncapsulation(boolean on) { this.udpEncapsulation = on; return this; }
        public Builder extendedSequenceNumbers(boolean on) { this.extendedSequenceNumbers = on; return this; }
        public Builder replayWindow(int packets) { this.replayWindow = packets; return this; }
        /** One selector; the default is {@link Selector#ANY}. */
        public Builder selector(Selector selector) { this.selectors = List.of(selector); return this; }
        public Builder selectors(List<Selector> selectors) { this.selectors = List.copyOf(selectors); return this; }
        public Builder softLifetime(Lifetime soft) { this.softLifetime = soft; return this; }
        public Builder hardLifetime(Lifetime hard) { this.hardLifetime = hard; return this; }
        /** The clock that stamps {@link #created()}; a fixed clock in tests. */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        public SecurityAssociation build() {
            return new SecurityAssociation(this);
        }
    }
}
