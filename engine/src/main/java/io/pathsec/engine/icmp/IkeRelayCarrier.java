package io.pathsec.engine.icmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.control.api.IcmpOutcome;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.tun.TunDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Both ends of the ike-relay option (draft §7) for one tunnel or gateway: hands ICMP errors to
 * the IKE session of the peer whose SA carried the quoted flow, and writes the errors a peer
 * relayed to us into the TUN once they passed RFC 4301 §6.2. Against a peer that did not send
 * the PathSec Vendor ID it falls back to discard and says so once per peer in the log.
 */
public final class IkeRelayCarrier implements IcmpCarrier {
    private static final Logger LOG = LoggerFactory.getLogger(IkeRelayCarrier.class);

    private final IcmpPeerSession.Lookup sessions;
    private final TunnelIcmp icmp;
    private final TunDevice tun;
    private final int limit;
    private final AtomicInteger handing = new AtomicInteger();
    private final Map<String, Boolean> toldAboutVendorId = new ConcurrentHashMap<>();

    public IkeRelayCarrier(IcmpPeerSession.Lookup sessions, TunnelIcmp icmp, TunDevice tun) {
        this.sessions = sessions;
        this.icmp = icmp;
        this.tun = tun;
        this.limit = icmp.settings().queueLimit();
    }

    @Override
    public Result carry(byte[] packet, IcmpErrorMessage message, SecurityAssociation dataSa) {
        IcmpPeerSession s = sessions.sessionFor(dataSa);
        if (s == null) {
            return new Result(IcmpOutcome.DROPPED, null, "no-sa-for-quoted-flow",
                    "dropped because the SA's IKE session is gone");
        }
        if (!s.speaksPathSec()) {
            if (toldAboutVendorId.putIfAbsent(s.peer(), Boolean.TRUE) == null) {
                LOG.warn("ICMP option ike-relay: {} did not send the PathSec Vendor ID; its ICMP errors are discarded",
                        s.peer());
            }
            return new Result(IcmpOutcome.DROPPED, null, "peer-lacks-vendor-id",
                    "dropped because " + s.peer() + " did not announce the PathSec Vendor ID (falls back to discard)");
        }
        if (handing.incrementAndGet() > limit) {
            handing.decrementAndGet();
            return new Result(IcmpOutcome.DROPPED, null, "queue-full",
                    "dropped because " + limit + " relays are already waiting");
        }
        s.execute(() -> {
            handing.decrementAndGet();
            if (!s.relay(packet)) {
                LOG.info("ICMP relay to {} refused (too many waiting, or the IKE SA is going)", s.peer());
            }
        });
        return new Result(IcmpOutcome.RELAYED, null, null, "relayed to " + s.peer() + " in an IKE INFORMATIONAL");
    }

    /** An error {@code from} relayed to us: checked (RFC 4301 §6.2) against its SAs, then written into the TUN. */
    public void received(byte[] packet, List<SecurityAssociation> inboundSas) {
        if (icmp.fromRelay(Unpooled.wrappedBuffer(packet), inboundSas) == null) {
            return;
        }
        // TUN I/O wants a direct buffer; this path is rare, so a short-lived one is fine.
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(packet.length);
        try {
            direct.writeBytes(packet);
            tun.write(direct);
        } catch (IOException | RuntimeException e) {
            // The IKE answer must still go out: never let the write stop the exchange.
            LOG.warn("a relayed ICMP error could not be written to {}: {}", tun.name(), e.toString());
        } finally {
            direct.release();
        }
    }
}
