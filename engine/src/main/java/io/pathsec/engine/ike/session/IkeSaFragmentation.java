package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.crypto.IkeEncryption;
import io.pathsec.engine.ike.crypto.IkeIntegrityException;
import io.pathsec.engine.ike.fragment.IkeFragmentPolicy;
import io.pathsec.engine.ike.fragment.IkeFragmenter;
import io.pathsec.engine.ike.fragment.IkeReassembly;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.IkeProtocolException;
import io.pathsec.engine.ike.message.IkeSkfPayload;
import io.pathsec.engine.ike.message.InvalidSyntaxException;
import io.pathsec.engine.ike.message.NotifyType;
import io.pathsec.engine.ike.message.PayloadType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * IKE fragmentation (RFC 7383) as one IKE SA uses it: off until both sides announced it in
 * IKE_SA_INIT (§2.3), then every protected message larger than the fragment size leaves as SKF
 * fragments, and fragments received are reassembled per direction (requests from the peer,
 * responses to our requests), since each has its own message window (RFC 7296 §2.3).
 */
final class IkeSaFragmentation {
    private static final Logger LOG = LoggerFactory.getLogger(IkeSaFragmentation.class);
    /** Offset of Fragment Number in a message whose first payload is SKF: header, generic header. */
    private static final int FRAGMENT_NUMBER_OFFSET = IkeHeader.LENGTH + IkePayload.GENERIC_HEADER_LENGTH;

    private IkeFragmentPolicy policy;
    private IkeReassembly requests;
    private IkeReassembly responses;
    private int pathMtu;
    private long fragmentedSent;
    private long reassembled;

    /** Both sides support it (§2.3): from now on fragment and reassemble by {@code p}. */
    void enable(IkeFragmentPolicy p) {
        policy = p;
        requests = new IkeReassembly(p);
        responses = new IkeReassembly(p);
    }

    /** The same negotiated state for an IKE SA that replaces this one by a rekey. */
    void inherit(IkeSaFragmentation from) {
        if (from.policy != null) {
            enable(from.policy);
            pathMtu = from.pathMtu;
        }
    }

    /** IKEV2_FRAGMENTATION_SUPPORTED, sent in IKE_SA_INIT by each side that supports it (§2.3). */
    static IkeNotifyPayload announcement() {
        return IkeNotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED);
    }

    /** Whether an IKE_SA_INIT message announces fragmentation (§2.3). */
    static boolean announcedIn(IkeMessage init) {
        return init.all(IkeNotifyPayload.class).stream()
                .anyMatch(n -> n.notifyType() == NotifyType.IKEV2_FRAGMENTATION_SUPPORTED.value());
    }

    boolean enabled() {
        return policy != null;
    }

    /** The outer path MTU towards the peer as learnt (0: unknown); sizes fragments when not configured (§2.5.1). */
    void pathMtu(int mtu) {
        pathMtu = Math.max(0, mtu);
    }

    long fragmentedSent() {
        return fragmentedSent;
    }

    long reassembled() {
        return reassembled;
    }

    /** The datagrams of one protected message: itself, or its fragments when it is too large. */
    List<byte[]> protect(IkeEncryption outbound, IkeHeader header, List<IkePayload> payloads, InetSocketAddress peer,
                         boolean natTraversal) {
        if (policy == null) {
            return List.of(outbound.encryptMessage(header, payloads));
        }
        List<byte[]> out = IkeFragmenter.protect(outbound, header, payloads,
                policy.maxMessageSize(peer.getAddress(), natTraversal, pathMtu));
        if (out.size() > 1) {
            fragmentedSent++;
            LOG.debug("{} message {} sent in {} fragments (RFC 7383)", header.exchangeType(),
                    Integer.toUnsignedString(header.messageId()), out.size());
        }
        return out;
    }

    /**
     * Verifies, decrypts and decodes one received protected message; null while the fragments of
     * a message are still arriving or when a fragment is dropped.
     */
    IkeMessage open(byte[] datagram, IkeHeader header, IkeEncryption inbound, Instant now)
            throws IkeProtocolException, IkeIntegrityException {
        if (header.nextPayload() != PayloadType.SKF.value()) {
            return inbound.decryptMessage(datagram);
        }
        if (policy == null) {
            throw new InvalidSyntaxException("SKF payload, but fragmentation was not negotiated (RFC 7383 §2.3)");
        }
        IkeMessage outer = IkeMessage.decode(datagram);
        if (outer.payloads().size() != 1 || !(outer.payloads().get(0) instanceof IkeSkfPayload skf)) {
            throw new InvalidSyntaxException("a fragment carries payloads beside SKF");
        }
        IkeReassembly reassembly = header.response() ? responses : requests;
        IkeReassembly.Result r = reassembly.offer(header, skf, datagram, inbound, now);
        if (r instanceof IkeReassembly.Complete c) {
            reassembled++;
            LOG.debug("{} message {} reassembled from {} fragments", header.exchangeType(),
                    Integer.toUnsignedString(header.messageId()), c.fragments());
            return c.message();
        }
        if (r instanceof IkeReassembly.Dropped d) {
            LOG.debug("dropping an IKE fragment: {}", d.reason());
        }
        return null;
    }

    /**
     * RFC 7383 §2.6.1: a fragment of a request we already answered triggers the cached answer
     * only when it is fragment 1, so one retransmitted request costs one retransmitted answer.
     */
    static boolean isLaterFragment(byte[] datagram, IkeHeader header) {
        if (header.nextPayload() != PayloadType.SKF.value() || datagram.length < FRAGMENT_NUMBER_OFFSET + 2) {
            return false;
        }
        int number = ((datagram[FRAGMENT_NUMBER_OFFSET] & 0xff) << 8) | (datagram[FRAGMENT_NUMBER_OFFSET + 1] & 0xff);
        return number != 1;
    }
}
