package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.fragment.IkeFragmentPolicy;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNoncePayload;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.IkeProtocolException;
import io.pathsec.engine.ike.message.NotifyType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A gateway's IKE SAs: one {@link IkeResponder} per client, found by our SPI (SPIr, or SPIi of an
 * IKE SA we rekeyed; we chose it, so it is unique here) or, before the client knows it, by the client's
 * address and SPIi (a retransmitted IKE_SA_INIT, RFC 7296 §2.1). New IKE_SA_INIT requests
 * create new responders; while more than a threshold of SAs are half-open, a request must first
 * return a stateless cookie (§2.6). Half-open SAs are forgotten after a timeout; closed ones leave.
 *
 * <p>Runs on the scheduler's thread, like the sessions it holds.
 */
public final class IkeResponderTable {
    private static final Logger LOG = LoggerFactory.getLogger(IkeResponderTable.class);

    /** What the table's sessions report, naming the session. */
    public interface Events {
        void established(IkeResponder session, IkeSessionListener.Established info);

        /** A rekey's new CHILD_SA must start receiving (RFC 7296 §2.8). */
        default void childSaInboundReady(IkeResponder session, ChildSa child) {
        }

        /** Send with {@code child} from now on instead of {@code replaced} (§2.8). */
        default void childSaOutboundActive(IkeResponder session, ChildSa child, ChildSa replaced) {
        }

        default void childSaDeleted(IkeResponder session, ChildSa child) {
        }

        /** An additional CHILD_SA (the explicit ICMP SA) carries traffic now. */
        default void childSaAdded(IkeResponder session, ChildSa child) {
        }

        /** The client relayed an ICMP error in IKE (ike-relay, {@link IcmpRelay}). */
        default void icmpRelayed(IkeResponder session, byte[] packet) {
        }

        /** @param cause null when the gateway closed it */
        void closed(IkeResponder session, IkeSessionException cause);
    }

    /** A client before it knows our SPI: its address and port, and its SPIi. */
    private record InitKey(InetSocketAddress from, long spiI) {
    }

    private final IkeResponderConfig config;
    private final IkeScheduler scheduler;
    private final IkeTransport transport;
    private final SecureRandom random;
    private final Events events;
    private final int cookieThreshold;
    private final Duration halfOpenTimeout;
    private final IkeCookies cookies;
    private final Map<Long, IkeResponder> bySpiR = new ConcurrentHashMap<>();
    private final Map<InitKey, IkeResponder> byInit = new HashMap<>();
    private final Set<IkeResponder> halfOpen = new LinkedHashSet<>();
    /**
     * Initiators we asked for a cookie. A retransmission of their first request may arrive once
     * the load has dropped; answering it normally would leave the initiator (now sending the
     * cookie request) signing a different IKE_SA_INIT than ours (AUTH, §2.15). So once asked,
     * an initiator must return the cookie. Bounded: the oldest are forgotten first.
     */
    private final Map<InitKey, Boolean> askedForCookie = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InitKey, Boolean> eldest) {
            return size() > IkeConstants.MAX_HALF_OPEN;
        }
    };
    private long cookiesSent;
    private boolean closed;
    private IkeFragmentPolicy fragmentPolicy = IkeFragmentPolicy.DEFAULT;

    /**
     * @param cookieThreshold half-open SAs at or beyond which a cookie is required (0: always)
     */
    public IkeResponderTable(IkeResponderConfig config, IkeScheduler scheduler, IkeTransport transport,
                             SecureRandom random, Events events, int cookieThreshold, Duration halfOpenTimeout) {
        if (cookieThreshold < 0) {
            throw new IllegalArgumentException("the cookie threshold must not be negative: " + cookieThreshold);
        }
        this.config = config;
        this.scheduler = scheduler;
        this.transport = transport;
        this.random = random;
        this.events = events;
        this.cookieThreshold = cookieThreshold;
        this.halfOpenTimeout = halfOpenTimeout;
        this.cookies = new IkeCookies(random, scheduler.now());
    }

    /** With the default threshold and half-open timeout of {@link IkeConstants}. */
    public IkeResponderTable(IkeResponderConfig config, IkeScheduler scheduler, IkeTransport transport,
                             SecureRandom random, Events events) {
        this(config, scheduler, transport, random, events, IkeConstants.COOKIE_THRESHOLD,
                IkeConstants.HALF_OPEN_TIMEOUT);
    }

    /** How new sessions fragment large messages (RFC 7383); supported by default. */
    public void useFragmentation(IkeFragmentPolicy policy) {
        this.fragmentPolicy = policy;
    }

    /** One datagram for the gateway (non-ESP marker removed). Never throws; what fits nothing is dropped. */
    public void receive(byte[] datagram, InetSocketAddress from, boolean viaNatTraversal) {
        if (closed) {
            return;
        }
        try {
            IkeHeader header = IkeHeader.decode(Unpooled.wrappedBuffer(datagram));
            if (header.responderSpi() != 0) {
                // The I flag names the sender's role in this IKE SA, so which SPI is ours (§3.1).
                long ours = header.initiator() ? header.responderSpi() : header.initiatorSpi();
                IkeResponder session = bySpiR.get(ours);
                if (session == null) {
                    session = afterIkeRekey(ours);
                }
                if (session != null) {
                    session.receive(datagram, from, viaNatTraversal); // it checks both SPIs itself
                } else {
                    LOG.debug("dropping a message for an unknown IKE SA from {}", from);
                }
                return;
            }
            if (header.exchangeType() != ExchangeType.IKE_SA_INIT || header.response() || header.messageId() != 0) {
                return; // only a new IKE_SA_INIT may come without our SPI (§2.6)
            }
            IkeResponder known = byInit.get(new InitKey(from, header.initiatorSpi()));
            if (known != null) {
                known.receive(datagram, from, viaNatTraversal); // a retransmission: the same answer again
                return;
            }
            onNewInit(datagram, header, from, viaNatTraversal);
        } catch (IkeProtocolException e) {
            LOG.debug("dropping a malformed message from {}: {}", from, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("dropping a message from {} that could not be processed", from, e);
        }
    }

    private void onNewInit(byte[] datagram, IkeHeader header, InetSocketAddress from, boolean natT)
            throws IkeProtocolException {
        halfOpen.removeIf(r -> !r.halfOpen());
        InitKey key = new InitKey(from, header.initiatorSpi());
        boolean cookieRequired = halfOpen.size() >= cookieThreshold || askedForCookie.containsKey(key);
        if (cookieRequired && !hasValidCookie(datagram, header, from.getAddress())) {
            if (halfOpen.size() >= IkeConstants.MAX_HALF_OPEN && cookieThreshold >= IkeConstants.MAX_HALF_OPEN) {
                return;
            }
            askedForCookie.put(key, Boolean.TRUE);
            sendCookie(datagram, header, from, natT);
            return;
        }
        askedForCookie.remove(key);
        IkeResponder[] self = new IkeResponder[1];
        IkeResponder session = new IkeResponder(config, scheduler, transport, random, listenerFor(self));
        self[0] = session;
        session.useFragmentation(fragmentPolicy);
        session.receive(datagram, from, natT);
        if (!session.halfOpen()) {
            return; // refused (no proposal, INVALID_KE_PAYLOAD): the responder kept no state
        }
        bySpiR.put(session.responderSpi(), session);
        byInit.put(key, session);
        halfOpen.add(session);
        scheduler.schedule(halfOpenTimeout, () -> {
            if (session.halfOpen()) {
                LOG.info("IKE SA with {} stayed half-open for {} s; forgetting it", from, halfOpenTimeout.toSeconds());
                session.close();
            }
        });
    }

    /**
     * An IKE SA rekeyed with CREATE_CHILD_SA (§1.3.2, §2.18) has a new SPI of ours: found once
     * by asking the sessions, then indexed. The old SPI stays until the session ends.
     */
    private IkeResponder afterIkeRekey(long ourSpi) {
        for (IkeResponder s : bySpiR.values()) {
            if (s.localSpi() == ourSpi) {
                bySpiR.put(ourSpi, s);
                return s;
            }
        }
        return null;
    }

    /** §2.6: the COOKIE notify must be the first payload, and one we made for this Ni, IPi and SPIi. */
    private boolean hasValidCookie(byte[] datagram, IkeHeader header, InetAddress from) throws IkeProtocolException {
        IkeMessage request = IkeMessage.decode(datagram);
        List<IkePayload> payloads = request.payloads();
        Optional<IkeNoncePayload> nonce = request.first(IkeNoncePayload.class);
        if (payloads.isEmpty() || !(payloads.get(0) instanceof IkeNotifyPayload n)
                || n.notifyType() != NotifyType.COOKIE.value() || nonce.isEmpty()) {
            return false;
        }
        boolean valid = cookies.verify(n.data(), nonce.get().nonce(), from, header.initiatorSpi(), scheduler.now());
        if (!valid) {
            LOG.debug("IKE_SA_INIT from {} with a cookie we did not make (or an old one)", from);
        }
        return valid;
    }

    private void sendCookie(byte[] datagram, IkeHeader header, InetSocketAddress from, boolean natT)
            throws IkeProtocolException {
        Optional<IkeNoncePayload> nonce = IkeMessage.decode(datagram).first(IkeNoncePayload.class);
        if (nonce.isEmpty()) {
            return;
        }
        byte[] cookie = cookies.cookie(nonce.get().nonce(), from.getAddress(), header.initiatorSpi(), scheduler.now());
        IkeHeader h = new IkeHeader(header.initiatorSpi(), 0, 0, ExchangeType.IKE_SA_INIT, false, false, true, 0, 0);
        transport.send(new IkeMessage(h, List.of(IkeNotifyPayload.of(NotifyType.COOKIE, cookie))).toBytes(), from, natT);
        cookiesSent++;
        LOG.info("{} half-open IKE SAs: asking {} for a cookie (§2.6)", halfOpen.size(), from);
    }

    private IkeSessionListener listenerFor(IkeResponder[] session) {
        return new IkeSessionListener() {
            @Override
            public void established(Established info) {
                halfOpen.remove(session[0]);
                events.established(session[0], info);
            }

            @Override
            public void childSaInboundReady(ChildSa child) {
                events.childSaInboundReady(session[0], child);
            }

            @Override
            public void childSaOutboundActive(ChildSa child, ChildSa replaced) {
                events.childSaOutboundActive(session[0], child, replaced);
            }

            @Override
            public void childSaDeleted(ChildSa child) {
                events.childSaDeleted(session[0], child);
            }

            @Override
            public void childSaAdded(ChildSa child) {
                events.childSaAdded(session[0], child);
            }

            @Override
            public void icmpRelayed(byte[] packet) {
                events.icmpRelayed(session[0], packet);
            }

            @Override
            public void closed(IkeSessionException cause) {
                forget(session[0]);
                events.closed(session[0], cause);
            }
        };
    }

    private void forget(IkeResponder session) {
        halfOpen.remove(session);
        bySpiR.values().removeIf(s -> s == session);
        byInit.values().removeIf(s -> s == session);
    }

    /** The sessions that have our SPI (half-open and established). Safe from any thread. */
    public List<IkeResponder> sessions() {
        return new ArrayList<>(bySpiR.values());
    }

    /** Half-open IKE SAs now (§2.6). */
    public int halfOpenCount() {
        halfOpen.removeIf(r -> !r.halfOpen());
        return halfOpen.size();
    }

    /** COOKIE answers sent so far. */
    public long cookiesSent() {
        return cookiesSent;
    }

    /** Deletes every IKE SA (§1.4.1) and accepts nothing more. */
    public void close() {
        closed = true;
        for (IkeResponder session : sessions()) {
            session.close();
        }
    }
}
