package io.pathsec.engine.ike.fragment;

import io.pathsec.engine.ike.crypto.IkeEncryption;
import io.pathsec.engine.ike.crypto.IkeIntegrityException;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeProtocolException;
import io.pathsec.engine.ike.message.IkeSkfPayload;
import io.pathsec.engine.ike.message.InvalidSyntaxException;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Reassembly of one direction's fragmented messages of an IKE SA (RFC 7383 §2.6). With a
 * message window of one (RFC 7296 §2.3) one message at a time is collected; the caller has
 * already checked that its Message ID is the one expected.
 *
 * <p>Every fragment is verified and decrypted on arrival, before it is kept, so a forged
 * fragment can neither fill the buffer nor push out a genuine one. A fragment with a larger
 * Total Fragments than those kept means the sender re-fragmented smaller, and reassembly starts
 * over; a smaller total is stale and dropped (§2.6). Limits: {@link IkeFragmentPolicy#maxFragments()}
 * and a reassembly timeout, after which the pieces are forgotten.
 */
public final class IkeReassembly {
    /** What became of one fragment. */
    public sealed interface Result permits Complete, Incomplete, Dropped {
    }

    /** The last fragment arrived: the whole message, decrypted and decoded. */
    public record Complete(IkeMessage message, int fragments) implements Result {
    }

    /** Kept; more fragments are awaited. */
    public record Incomplete(int received, int total) implements Result {
    }

    /** Not kept, and why (a duplicate, a stale total, over the limit). */
    public record Dropped(String reason) implements Result {
    }

    private final IkeFragmentPolicy policy;
    private boolean active;
    private int messageId;
    private int total;
    private byte[][] parts;
    private int received;
    private int firstInner;
    private IkeHeader header;
    private Instant started;

    public IkeReassembly(IkeFragmentPolicy policy) {
        this.policy = policy;
    }

    /**
     * Takes one received fragment.
     *
     * @param datagram the whole received message, whose last payload is {@code skf}
     * @throws IkeIntegrityException when it does not verify (RFC 7296 §2.21.2: drop it silently)
     * @throws IkeProtocolException  when it, or the reassembled message, is malformed
     */
    public Result offer(IkeHeader fragmentHeader, IkeSkfPayload skf, byte[] datagram, IkeEncryption inbound,
                        Instant now) throws IkeProtocolException, IkeIntegrityException {
        if (active && Duration.between(started, now).compareTo(policy.reassemblyTimeout()) > 0) {
            reset(); // the sender gave up on that message or lost a fragment for good
        }
        if (skf.totalFragments() > policy.maxFragments()) {
            return new Dropped("message in " + skf.totalFragments() + " fragments, at most " + policy.maxFragments()
                    + " accepted");
        }
        boolean sameMessage = active && messageId == fragmentHeader.messageId();
        if (sameMessage && skf.totalFragments() < total) {
            return new Dropped("Total Fragments " + skf.totalFragments() + " below the " + total + " already seen");
        }
        if (sameMessage && skf.totalFragments() == total && parts[skf.fragmentNumber() - 1] != null) {
            return new Dropped("fragment " + skf.fragmentNumber() + " of " + total + " again");
        }
        byte[] body = skf.encryptedBody();
        if (body.length < inbound.ivLength() + inbound.icvLength()) {
            throw new InvalidSyntaxException("SKF payload shorter than IV and ICV");
        }
        byte[] plain = inbound.open(Arrays.copyOf(datagram, datagram.length - body.length), body);
        if (!sameMessage || skf.totalFragments() > total) {
            start(fragmentHeader, skf.totalFragments(), now);
        }
        parts[skf.fragmentNumber() - 1] = plain;
        received++;
        if (skf.fragmentNumber() == 1) {
            firstInner = skf.firstInnerPayload();
            header = fragmentHeader;
        }
        if (received < total) {
            return new Incomplete(received, total);
        }
        ByteArrayOutputStream chain = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            chain.writeBytes(p);
        }
        IkeHeader first = header;
        int inner = firstInner;
        int count = total;
        reset();
        return new Complete(new IkeMessage(first, IkeMessage.decodeInnerPayloads(inner, chain.toByteArray())), count);
    }

    /** Whether pieces of a message are being kept. */
    public boolean inProgress() {
        return active;
    }

    /** Forgets a partly received message, e.g. when the exchange it belongs to ended. */
    public void reset() {
        active = false;
        parts = null;
        received = 0;
        total = 0;
        header = null;
    }

    private void start(IkeHeader h, int totalFragments, Instant now) {
        active = true;
        messageId = h.messageId();
        total = totalFragments;
        parts = new byte[totalFragments][];
        received = 0;
        started = now;
        header = null;
    }
}
