package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.crypto.IkeIntegrityException;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeDeletePayload;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.IkeProtocolException;
import io.pathsec.engine.ike.message.NotifyType;
import io.pathsec.engine.ike.message.ProtocolId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The encrypted exchanges of one IKE SA, for either role (RFC 7296 §1.4, §2.1–2.3): message IDs
 * with a window of one in each direction, retransmission of our requests, a cached answer for
 * repeated peer requests, and the INFORMATIONAL requests every peer must answer — liveness
 * checks (§2.4) and Delete (§1.4.1).
 *
 * <p>Setup-specific requests (IKE_AUTH at a responder) go to {@link Owner#handleSetupRequest}.
 */
final class IkeSa {
    private static final Logger LOG = LoggerFactory.getLogger(IkeSa.class);

    /** What an IKE SA reports to the session that owns it. */
    interface Owner {
        /** Answers an IKE_AUTH request (responders); null drops it. */
        List<IkePayload> handleSetupRequest(IkeMessage request, InetSocketAddress from);

        void childSaDeletedByPeer(ChildSa child);

        void ikeSaDeletedByPeer();
    }

    /**
     * Once the IKE SA is established, CREATE_CHILD_SA requests and Deletes go to the session's
     * procedures (§1.3, §1.4.1), and every authenticated message counts as a sign of life (§2.4).
     */
    interface Procedures {
        /** The answer to a CREATE_CHILD_SA request or an INFORMATIONAL with Delete payloads. */
        Answer answer(IkeSa sa, IkeMessage request);

        /** An authenticated request or response arrived on {@code sa}. */
        void heardFromPeer(IkeSa sa);
    }

    /** Payloads to answer with, and what to do once the answer is on its way (may be null). */
    record Answer(List<IkePayload> payloads, Runnable after) {
        static Answer of(List<IkePayload> payloads) {
            return new Answer(payloads, null);
        }
    }

    /** The answer to one of our requests, or its loss. */
    interface ResponseHandler {
        void onResponse(IkeMessage response);

        void onTimeout();
    }

    private record Request(ExchangeType type, List<IkePayload> payloads, ResponseHandler handler, Probe probe) {
        Request(ExchangeType type, List<IkePayload> payloads, ResponseHandler handler) {
            this(type, payloads, handler, null);
        }
    }

    /**
     * What makes a request a DPLPMTUD probe ({@link IkeProbeLayer}): sent once, with DF, lost after
     * {@code timer}; then its message ID is completed by {@code completion}, an ordinary request
     * with the same ID, so that the window of one (§2.3) moves on whether or not the peer saw the
     * probe (§2.1: a responder answers a repeated ID from its cache).
     */
    record Probe(Duration timer, List<IkePayload> completion, ResponseHandler completionHandler,
                 java.util.function.IntConsumer sent) {
        Probe(Duration timer, List<IkePayload> completion, ResponseHandler completionHandler) {
            this(timer, completion, completionHandler, id -> {
            });
        }
    }

    private record Outstanding(int messageId, Retransmission retransmission, ResponseHandler handler) {
    }

    final long spiI;
    final long spiR;
    final boolean weAreInitiator;
    final IkeSaKeys keys;
    private final IkeScheduler scheduler;
    private final IkeTransport transport;
    private final Owner owner;
    private InetSocketAddress peer;
    private boolean natTraversal;

    private int nextRequestId;
    private int expectedPeerRequestId;
    private int lastResponseId = -1;
    private List<byte[]> lastResponse;
    /** RFC 7383: off until negotiated in IKE_SA_INIT. */
    final IkeSaFragmentation fragmentation = new IkeSaFragmentation();
    private Outstanding outstanding;
    /** The probe of {@link #outstanding} while it still waits for its own answer, else null. */
    private Outstanding probeOutstanding;
    private final Deque<Request> queue = new ArrayDeque<>();
    private final List<ChildSa> children = new ArrayList<>();
    private boolean closed;
    private long livenessChecksAnswered;
    private Procedures procedures;
    private java.time.Duration retransmitInitial = IkeConstants.RETRANSMIT_INITIAL;
    private int retransmitSends = IkeConstants.RETRANSMIT_SENDS;

    IkeSa(long spiI, long spiR, boolean weAreInitiator, IkeSaKeys keys, IkeScheduler scheduler, IkeTransport transport,
          Owner owner, InetSocketAddress peer, boolean natTraversal, int nextRequestId, int expectedPeerRequestId) {
        this.spiI = spiI;
        this.spiR = spiR;
        this.weAreInitiator = weAreInitiator;
        this.keys = keys;
        this.scheduler = scheduler;
        this.transport = transport;
        this.owner = owner;
        this.peer = peer;
        this.natTraversal = natTraversal;
        this.nextRequestId = nextRequestId;
        this.expectedPeerRequestId = expectedPeerRequestId;
    }

    InetSocketAddress peer() {
        return peer;
    }

    boolean natTraversal() {
        return natTraversal;
    }

    List<ChildSa> children() {
        return List.copyOf(children);
    }

    void addChild(ChildSa child) {
        children.add(child);
    }

    /** Hands CREATE_CHILD_SA and Delete to {@code p} and sets the retransmission schedule (§2.1). */
    void attach(Procedures p, java.time.Duration initialTimeout, int sends) {
        this.procedures = p;
        this.retransmitInitial = initialTimeout;
        this.retransmitSends = sends;
    }

    boolean isClosed() {
        return closed;
    }

    /** Whether a request of ours awaits its answer or is queued. */
    boolean requestPending() {
        return outstanding != null || !queue.isEmpty();
    }

    long livenessChecksAnswered() {
        return livenessChecksAnswered;
    }

    /** Sends a request now, or after the one in flight is answered (window size 1, §2.3). */
    void sendRequest(ExchangeType type, List<IkePayload> payloads, ResponseHandler handler) {
        if (closed) {
            return;
        }
        queue.add(new Request(type, payloads, handler));
        sendNextIfIdle();
    }

    /** Queues a DPLPMTUD probe behind the requests in flight (window size 1, §2.3). */
    void sendProbe(List<IkePayload> payloads, Probe probe, ResponseHandler handler) {
        if (closed) {
            return;
        }
        queue.add(new Request(ExchangeType.INFORMATIONAL, payloads, handler, probe));
        sendNextIfIdle();
    }

    private void sendNextIfIdle() {
        if (outstanding != null || queue.isEmpty() || closed) {
            return;
        }
        Request r = queue.poll();
        int id = nextRequestId++;
        if (r.probe != null) {
            sendProbeNow(r, id); // never fragmented: a probe's size is the point (RFC 8899 §4.1)
            return;
        }
        List<byte[]> message = fragmentation.protect(keys.outbound, header(r.type, false, id), r.payloads, peer,
                natTraversal);
        Retransmission rtx = new Retransmission(scheduler, transport, message, peer, natTraversal,
                retransmitInitial, retransmitSends, () -> {
                    Outstanding o = outstanding;
                    outstanding = null;
                    if (o != null) {
                        o.handler.onTimeout();
                    }
                    sendNextIfIdle();
                });
        outstanding = new Outstanding(id, rtx, r.handler);
        rtx.start();
    }

    /**
     * A probe goes out once, DF set, never retransmitted: its loss is the information (RFC 8899
     * §4.1). When PROBE_TIMER expires the handler learns of the loss, and the same message ID is
     * completed by the small request, retransmitted as usual; the probe never counts towards
     * declaring the peer dead (§2.4), the completion does as any request would.
     */
    private void sendProbeNow(Request r, int id) {
        byte[] message = keys.outbound.encryptMessage(header(r.type, false, id), r.payloads);
        Retransmission once = new Retransmission(scheduler, transport::sendProbe, message, peer, natTraversal,
                r.probe.timer(), 1, () -> {
                    probeOutstanding = null;
                    r.handler.onTimeout();
                    byte[] small = keys.outbound.encryptMessage(header(r.type, false, id), r.probe.completion());
                    Retransmission rtx = new Retransmission(scheduler, transport, small, peer, natTraversal,
                            retransmitInitial, retransmitSends, () -> {
                                outstanding = null;
                                r.probe.completionHandler().onTimeout();
                                sendNextIfIdle();
                            });
                    outstanding = new Outstanding(id, rtx, r.probe.completionHandler());
                    rtx.start();
                });
        outstanding = new Outstanding(id, once, r.handler);
        probeOutstanding = outstanding;
        r.probe.sent().accept(id); // before it leaves: an ICMP error about it may come back at once
        once.start();
    }

    /**
     * A validated ICMP Packet Too Big quoted the probe with {@code messageId} (RFC 8899 §4.6.2):
     * it did not arrive, so PROBE_TIMER need not run out; its ID is completed by the small request
     * now, and the window (§2.3) is free again after one round trip.
     */
    void probeTooBig(int messageId) {
        Outstanding o = probeOutstanding;
        if (o != null && o == outstanding && o.messageId == messageId) {
            o.retransmission.giveUpNow();
        }
    }

    private IkeHeader header(ExchangeType type, boolean response, int messageId) {
        return new IkeHeader(spiI, spiR, 0, type, weAreInitiator, false, response, messageId, 0);
    }

    /**
     * One datagram for this SA (its SPIs already matched). Never throws: anything that does not
     * decode, verify or fit the message ID windows is dropped and logged (§2.21).
     */
    void receive(byte[] datagram, IkeHeader header, InetSocketAddress from, boolean viaNatTraversal) {
        if (closed) {
            return;
        }
        if (header.initiator() == weAreInitiator) {
            LOG.debug("dropping a message with our own Initiator flag");
            return;
        }
        if (header.response()) {
            receiveResponse(datagram, header);
        } else {
            receiveRequest(datagram, header, from, viaNatTraversal);
        }
    }

    private void receiveResponse(byte[] datagram, IkeHeader header) {
        Outstanding o = outstanding;
        if (o == null || header.messageId() != o.messageId) {
            LOG.debug("dropping a response with message ID {} (expecting {})", Integer.toUnsignedString(header.messageId()),
                    o == null ? "none" : Integer.toUnsignedString(o.messageId));
            return;
        }
        IkeMessage message = open(datagram, header);
        if (message == null) {
            return; // keep retransmitting: a forged or damaged response (or a fragment) must not end the exchange
        }
        o.retransmission.cancel();
        outstanding = null;
        if (procedures != null) {
            procedures.heardFromPeer(this);
        }
        o.handler.onResponse(message);
        sendNextIfIdle();
    }

    private void receiveRequest(byte[] datagram, IkeHeader header, InetSocketAddress from, boolean viaNatTraversal) {
        if (header.messageId() == lastResponseId && lastResponse != null) {
            // A retransmitted request: answer with the very same octets (§2.1), once per
            // retransmission of a fragmented request (RFC 7383 §2.6.1).
            if (!IkeSaFragmentation.isLaterFragment(datagram, header)) {
                sendAll(lastResponse, from, viaNatTraversal);
            }
            return;
        }
        if (header.messageId() != expectedPeerRequestId) {
            LOG.debug("dropping a request with message ID {} (expecting {})", Integer.toUnsignedString(header.messageId()),
                    Integer.toUnsignedString(expectedPeerRequestId));
            return;
        }
        IkeMessage request = open(datagram, header);
        if (request == null) {
            return;
        }
        // An authenticated message: the peer's current address is where it came from (§2.23).
        peer = from;
        natTraversal = natTraversal || viaNatTraversal;
        if (procedures != null) {
            procedures.heardFromPeer(this);
        }
        List<IkePayload> answer;
        Runnable after = null;
        ExchangeType exchange = request.header().exchangeType();
        if (procedures != null && (exchange == ExchangeType.CREATE_CHILD_SA || (exchange == ExchangeType.INFORMATIONAL
                && (!request.all(IkeDeletePayload.class).isEmpty() || !IcmpRelay.packetsIn(request).isEmpty())))) {
            Answer a = procedures.answer(this, request);
            answer = a.payloads();
            after = a.after();
        } else switch (exchange) {
            case IKE_AUTH -> answer = owner.handleSetupRequest(request, from);
            case INFORMATIONAL -> {
                List<IkeDeletePayload> deletes = request.all(IkeDeletePayload.class);
                if (deletes.stream().anyMatch(d -> d.protocolId() == ProtocolId.IKE)) {
                    answer = List.of();
                    after = owner::ikeSaDeletedByPeer;
                } else if (!deletes.isEmpty()) {
                    answer = deleteChildren(deletes);
                } else {
                    livenessChecksAnswered++;
                    answer = List.of(); // a liveness check: any authenticated answer will do (§2.4)
                }
            }
            // Rekeying and further CHILD_SAs are not in this slice: refuse politely (§1.3, §3.10.1).
            case CREATE_CHILD_SA -> answer = List.of(IkeNotifyPayload.of(NotifyType.NO_ADDITIONAL_SAS));
            default -> answer = null;
        }
        if (answer == null) {
            return;
        }
        List<byte[]> response = fragmentation.protect(keys.outbound,
                header(request.header().exchangeType(), true, header.messageId()), answer, from, viaNatTraversal);
        lastResponse = response;
        lastResponseId = header.messageId();
        expectedPeerRequestId++;
        sendAll(response, from, viaNatTraversal);
        if (after != null) {
            after.run();
        }
    }

    /** §1.4.1: delete the named CHILD_SAs and answer with the SPIs of their inbound halves. */
    private List<IkePayload> deleteChildren(List<IkeDeletePayload> deletes) {
        List<byte[]> ours = new ArrayList<>();
        for (IkeDeletePayload d : deletes) {
            if (d.protocolId() != ProtocolId.ESP) {
                continue;
            }
            for (byte[] spi : d.spis()) {
                int peerSpi = ByteBuffer.wrap(spi).getInt();
                for (ChildSa c : List.copyOf(children)) {
                    if (c.outboundSpi() == peerSpi) {
                        children.remove(c);
                        ours.add(ByteBuffer.allocate(4).putInt(c.inboundSpi()).array());
                        owner.childSaDeletedByPeer(c);
                    }
                }
            }
        }
        return ours.isEmpty() ? List.of() : List.of(new IkeDeletePayload(ProtocolId.ESP, ours));
    }

    private void sendAll(List<byte[]> datagrams, InetSocketAddress to, boolean viaNatTraversal) {
        for (byte[] d : datagrams) {
            transport.send(d, to, viaNatTraversal);
        }
    }

    /**
     * Decrypts and decodes; null (logged) when the message is damaged, forged or malformed, and
     * while a fragmented message is incomplete (RFC 7383 §2.6).
     */
    private IkeMessage open(byte[] datagram, IkeHeader header) {
        try {
            return fragmentation.open(datagram, header, keys.inbound, scheduler.now());
        } catch (IkeIntegrityException e) {
            LOG.debug("dropping a message whose ICV does not verify (§2.21.2): {}", e.getMessage());
        } catch (IkeProtocolException e) {
            LOG.debug("dropping a malformed protected message: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("dropping a protected message that could not be processed: {}", e.toString());
        }
        return null;
    }

    /** Stops every timer; later datagrams are ignored. */
    void close() {
        closed = true;
        if (outstanding != null) {
            outstanding.retransmission.cancel();
            outstanding = null;
        }
        queue.clear();
    }
}
