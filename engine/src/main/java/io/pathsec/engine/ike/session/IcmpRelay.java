package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.ProtocolId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The ike-relay option (draft-ietf-ipsec-icmp-options-00 §7, "ISAKMP ICMP"): one ICMP error
 * packet travels to the peer in an INFORMATIONAL request, as the data of a PathSec private-use
 * status Notify (RFC 7296 §3.10.1 reserves 40960-65535 for private use). Only sent to a peer that
 * announced the PathSec Vendor ID; any other peer would ignore the unknown status Notify (§3.10.1),
 * so the error would be lost without a word. The answer is an empty INFORMATIONAL response.
 *
 * <p>Requests queue behind each other (window size 1, §2.3), so at most {@code limit} relays wait
 * at once; more are refused and the caller drops them.
 */
final class IcmpRelay {
    private static final Logger LOG = LoggerFactory.getLogger(IcmpRelay.class);
    /** PathSec's private Notify type for a relayed ICMP error (documented in docs/icmp.md). */
    static final int NOTIFY_TYPE = 40969;
    /** The largest ICMP error relayed: an ICMPv6 error fills at most the IPv6 minimum MTU (RFC 4443 §2.4(c)). */
    static final int MAX_PACKET = 1280;

    private final Supplier<IkeSa> currentSa;
    private final int limit;
    private final AtomicInteger pending = new AtomicInteger();

    IcmpRelay(Supplier<IkeSa> currentSa, int limit) {
        this.currentSa = currentSa;
        this.limit = limit;
    }

    /**
     * Sends one ICMP error packet to the peer (on the session thread).
     *
     * @return false when it was refused: too large, or {@code limit} relays already waiting
     */
    boolean send(byte[] packet) {
        if (packet.length == 0 || packet.length > MAX_PACKET) {
            return false;
        }
        if (pending.incrementAndGet() > limit) {
            pending.decrementAndGet();
            return false;
        }
        currentSa.get().sendRequest(ExchangeType.INFORMATIONAL,
                List.of(new IkeNotifyPayload(ProtocolId.NONE, new byte[0], NOTIFY_TYPE, packet.clone())),
                new IkeSa.ResponseHandler() {
                    @Override
                    public void onResponse(IkeMessage response) {
                        pending.decrementAndGet();
                    }

                    @Override
                    public void onTimeout() {
                        pending.decrementAndGet(); // the liveness check decides about the peer
                        LOG.debug("a relayed ICMP error was not acknowledged");
                    }
                });
        return true;
    }

    /** The ICMP error packets relayed in a request from the peer (usually none). */
    static List<byte[]> packetsIn(IkeMessage request) {
        return request.all(IkeNotifyPayload.class).stream()
                .filter(n -> n.notifyType() == NOTIFY_TYPE && n.data().length > 0 && n.data().length <= MAX_PACKET)
                .map(IkeNotifyPayload::data).toList();
    }
}
