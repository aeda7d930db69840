package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeVendorIdPayload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * PathSec's Vendor ID (RFC 7296 §3.12): the first 16 octets of SHA-256("PathSec"). Both roles send
 * it in IKE_SA_INIT; a peer that sends it back speaks PathSec's extensions (TCP-MSS method, ICMP
 * relay, probe acknowledgements), which enable themselves only then. Other peers ignore it, as
 * §3.12 requires of unrecognised Vendor IDs.
 */
public final class PathSecVendorId {
    private static final int LENGTH = 16;
    private static final byte[] VALUE = compute();

    private PathSecVendorId() {
    }

    /** The 16 octets, a fresh copy. */
    public static byte[] value() {
        return VALUE.clone();
    }

    static IkeVendorIdPayload payload() {
        return new IkeVendorIdPayload(VALUE);
    }

    /** Whether {@code message} carries our Vendor ID among its Vendor ID payloads. */
    static boolean presentIn(IkeMessage message) {
        return message.all(IkeVendorIdPayload.class).stream().anyMatch(v -> Arrays.equals(v.vendorId(), VALUE));
    }

    private static byte[] compute() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest("PathSec".getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(digest, LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
