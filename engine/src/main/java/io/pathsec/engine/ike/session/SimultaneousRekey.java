package io.pathsec.engine.ike.session;

import java.util.Arrays;

/**
 * The tie-break of RFC 7296 §2.8.1 (CHILD_SAs) and §2.8.2 (IKE SAs): when both peers rekeyed the
 * same SA at once, the SA created with the lowest of the four nonces of the two exchanges is
 * redundant, and the endpoint that initiated that exchange deletes it.
 */
final class SimultaneousRekey {
    private SimultaneousRekey() {
    }

    /**
     * Whether the exchange we initiated (nonces {@code ourNi}, {@code ourNr}) created the
     * redundant SA, i.e. holds the lowest of the four nonces. "Lowest" is an octet-by-octet
     * comparison; a nonce that is a prefix of another is the lower one (§2.8.1).
     */
    static boolean ourExchangeIsRedundant(byte[] ourNi, byte[] ourNr, byte[] peerNi, byte[] peerNr) {
        byte[] ours = lower(ourNi, ourNr);
        byte[] theirs = lower(peerNi, peerNr);
        return Arrays.compareUnsigned(ours, theirs) < 0;
    }

    private static byte[] lower(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
