package io.pathsec.engine.ike.fragment;

import io.pathsec.engine.ike.crypto.IkeEncryption;
import io.pathsec.engine.ike.crypto.IkeIntegrityException;
import io.pathsec.engine.ike.message.EncryptionAlgorithm;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.IkeProtocolException;
import io.pathsec.engine.ike.message.IkeSkfPayload;
import io.pathsec.engine.ike.message.IkeTsPayload;
import io.pathsec.engine.ike.message.IkeVendorIdPayload;
import io.pathsec.engine.ike.message.IntegrityAlgorithm;
import io.pathsec.engine.ike.message.PayloadType;
import io.pathsec.engine.ike.message.TrafficSelector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 7383 fragments: a large protected message cut into SKF payloads that each fit the size,
 * and reassembled from them in any order; duplicates, forgeries, stale totals, too many
 * fragments and late pieces are refused as §2.6 asks.
 */
class IkeFragmentationTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final IkeHeader HEADER = new IkeHeader(0x1122334455667788L, 0x99aabbccddeeff00L, 0,
            ExchangeType.IKE_AUTH, true, false, false, 1, 0);

    enum Cipher { AES_GCM_16, CHACHA20_POLY1305, AES_CBC_HMAC_SHA256 }

    /** Both directions' protection with the same keys, as sender and receiver hold them. */
    private static IkeEncryption[] pair(Cipher c) {
        Random r = new Random(7);
        byte[] ek = new byte[c == Cipher.AES_CBC_HMAC_SHA256 ? 32 : 36];
        byte[] ak = new byte[c == Cipher.AES_CBC_HMAC_SHA256 ? 32 : 0];
        r.nextBytes(ek);
        r.nextBytes(ak);
        EncryptionAlgorithm e = switch (c) {
            case AES_GCM_16 -> EncryptionAlgorithm.ENCR_AES_GCM_16;
            case CHACHA20_POLY1305 -> EncryptionAlgorithm.ENCR_CHACHA20_POLY1305;
            case AES_CBC_HMAC_SHA256 -> EncryptionAlgorithm.ENCR_AES_CBC;
        };
        IntegrityAlgorithm i = c == Cipher.AES_CBC_HMAC_SHA256 ? IntegrityAlgorithm.AUTH_HMAC_SHA2_256_128
                : IntegrityAlgorithm.NONE;
        return new IkeEncryption[] {IkeEncryption.create(e, 256, i, ek, ak, new SecureRandom()),
                IkeEncryption.create(e, 256, i, ek, ak, new SecureRandom())};
    }

    /** About 2.5 kB of payloads: 120 IPv4 traffic selectors and a vendor ID. */
    static List<IkePayload> largeMessage() throws Exception {
        List<TrafficSelector> ts = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            InetAddress a = InetAddress.getByAddress(new byte[] {10, (byte) i, 0, 0});
            InetAddress b = InetAddress.getByAddress(new byte[] {10, (byte) i, (byte) 255, (byte) 255});
            ts.add(TrafficSelector.range(a, b));
        }
        byte[] vid = new byte[300];
        new Random(3).nextBytes(vid);
        return List.of(new IkeVendorIdPayload(vid), new IkeTsPayload(false, ts));
    }

    private static IkeReassembly.Result offer(IkeReassembly r, byte[] datagram, IkeEncryption in, Instant now)
            throws Exception {
        IkeMessage outer = IkeMessage.decode(datagram);
        return r.offer(outer.header(), (IkeSkfPayload) outer.payloads().get(0), datagram, in, now);
    }

    @ParameterizedTest
    @EnumSource(Cipher.class)
    void largeMessageIsCutIntoFragmentsThatFitAndReassembledInAnyOrder(Cipher cipher) throws Exception {
        IkeEncryption[] keys = pair(cipher);
        List<IkePayload> payloads = largeMessage();
        int max = IkeFragmentPolicy.DEFAULT.maxMessageSize(InetAddress.getByName("198.51.100.130"), true, 0);
        assertEquals(576 - 20 - 8 - 4, max, "RFC 7383 §2.5.1: 576 octets for IPv4, less IP, UDP and the marker");
        List<byte[]> fragments = IkeFragmenter.protect(keys[0], HEADER, payloads, max);
        assertTrue(fragments.size() >= 5, "fragments: " + fragments.size());
        for (int n = 0; n < fragments.size(); n++) {
            byte[] f = fragments.get(n);
            assertTrue(f.length <= max, "fragment " + (n + 1) + " has " + f.length + " octets");
            IkeMessage m = IkeMessage.decode(f);
            assertEquals(PayloadType.SKF.value(), m.header().nextPayload());
            assertEquals(1, m.header().messageId(), "every fragment keeps the Message ID (§2.5)");
            IkeSkfPayload skf = (IkeSkfPayload) m.payloads().get(0);
            assertEquals(n + 1, skf.fragmentNumber());
            assertEquals(fragments.size(), skf.totalFragments());
            assertEquals(n == 0 ? PayloadType.VENDOR_ID.value() : 0, skf.firstInnerPayload(),
                    "only fragment 1 names the first inner payload");
        }
        // Deliver in reverse order: reassembly needs all, in any order.
        IkeReassembly reassembly = new IkeReassembly(IkeFragmentPolicy.DEFAULT);
        IkeReassembly.Result last = null;
        for (int n = fragments.size() - 1; n >= 0; n--) {
            last = offer(reassembly, fragments.get(n), keys[1], T0);
            if (n > 0) {
                assertInstanceOf(IkeReassembly.Incomplete.class, last);
            }
        }
        IkeReassembly.Complete done = assertInstanceOf(IkeReassembly.Complete.class, last);
        assertEquals(fragments.size(), done.fragments());
        assertEquals(IkeMessage.encodeChain(payloads).length, IkeMessage.encodeChain(done.message().payloads()).length);
        assertTrue(Arrays.equals(IkeMessage.encodeChain(payloads), IkeMessage.encodeChain(done.message().payloads())));
    }

    @Test
    void smallMessageStaysOneSkMessage() throws Exception {
        IkeEncryption[] keys = pair(Cipher.AES_GCM_16);
        List<byte[]> out = IkeFragmenter.protect(keys[0], HEADER, List.of(new IkeVendorIdPayload(new byte[16])), 544);
        assertEquals(1, out.size());
        assertEquals(PayloadType.SK.value(), IkeMessage.decode(out.get(0)).header().nextPayload());
    }

    @Test
    void duplicatesAndForgedFragmentsAreNotKept() throws Exception {
        IkeEncryption[] keys = pair(Cipher.AES_GCM_16);
        List<byte[]> fragments = IkeFragmenter.protect(keys[0], HEADER, largeMessage(), 544);
        IkeReassembly reassembly = new IkeReassembly(IkeFragmentPolicy.DEFAULT);
        assertInstanceOf(IkeReassembly.Incomplete.class, offer(reassembly, fragments.get(0), keys[1], T0));
        assertInstanceOf(IkeReassembly.Dropped.class, offer(reassembly, fragments.get(0), keys[1], T0));
        byte[] forged = fragments.get(1).clone();
        forged[forged.length - 1] ^= 1; // flips an ICV bit
        assertThrows(IkeIntegrityException.class, () -> offer(reassembly, forged, keys[1], T0));
        // The genuine fragment 2 is still welcome after the forgery (§2.6: verify before keeping).
        IkeReassembly.Result r = null;
        for (int n = 1; n < fragments.size(); n++) {
            r = offer(reassembly, fragments.get(n), keys[1], T0);
        }
        assertInstanceOf(IkeReassembly.Complete.class, r);
    }

    @Test
    void refragmentedSmallerRestartsAndAStaleTotalIsDropped() throws Exception {
        IkeEncryption[] keys = pair(Cipher.AES_GCM_16);
        List<IkePayload> payloads = largeMessage();
        List<byte[]> big = IkeFragmenter.protect(keys[0], HEADER, payloads, 1200);
        List<byte[]> small = IkeFragmenter.protect(keys[0], HEADER, payloads, 500);
        assertTrue(small.size() > big.size());
        IkeReassembly reassembly = new IkeReassembly(IkeFragmentPolicy.DEFAULT);
        offer(reassembly, big.get(0), keys[1], T0);
        // The sender re-fragmented with a smaller size (§2.5.3): more fragments, start over.
        IkeReassembly.Result r = null;
        for (int n = 0; n < small.size(); n++) {
            r = offer(reassembly, small.get(n), keys[1], T0);
            if (n == 0) {
                assertEquals(new IkeReassembly.Incomplete(1, small.size()), r);
                assertInstanceOf(IkeReassembly.Dropped.class, offer(reassembly, big.get(1), keys[1], T0),
                        "fewer Total Fragments than already seen: stale");
            }
        }
        assertInstanceOf(IkeReassembly.Complete.class, r);
    }

    @Test
    void tooManyFragmentsAndLatePiecesAreRefused() throws Exception {
        IkeEncryption[] keys = pair(Cipher.AES_GCM_16);
        List<byte[]> fragments = IkeFragmenter.protect(keys[0], HEADER, largeMessage(), 544);
        IkeReassembly strict = new IkeReassembly(new IkeFragmentPolicy(true, 0, fragments.size() - 1, Duration.ofSeconds(5)));
        assertInstanceOf(IkeReassembly.Dropped.class, offer(strict, fragments.get(0), keys[1], T0));
        assertTrue(!strict.inProgress());

        IkeReassembly timed = new IkeReassembly(new IkeFragmentPolicy(true, 0, 64, Duration.ofSeconds(5)));
        for (int n = 0; n < fragments.size() - 1; n++) {
            offer(timed, fragments.get(n), keys[1], T0);
        }
        // The last piece comes after the timeout: the others were forgotten, so it starts anew.
        IkeReassembly.Result late = offer(timed, fragments.get(fragments.size() - 1), keys[1], T0.plusSeconds(6));
        assertEquals(new IkeReassembly.Incomplete(1, fragments.size()), late);
    }

    @Test
    void fragmentSizeComesFromTheConfigurationThePathMtuOrTheFamilyDefault() throws Exception {
        InetAddress v4 = InetAddress.getByName("198.51.100.130");
        InetAddress v6 = InetAddress.getByName("2001:db8:3::2");
        assertEquals(1280 - 40 - 8, IkeFragmentPolicy.DEFAULT.maxMessageSize(v6, false, 0));
        assertEquals(1400 - 20 - 8 - 4, IkeFragmentPolicy.DEFAULT.maxMessageSize(v4, true, 1400), "path MTU known");
        assertEquals(1000 - 20 - 8, IkeFragmentPolicy.withSize(1000).maxMessageSize(v4, false, 1400), "configured wins");
        assertThrows(IllegalArgumentException.class, () -> IkeFragmentPolicy.withSize(100));
    }

    @Test
    void fragmentWithoutRoomForDataIsRefusedClearly() throws IkeProtocolException {
        IkeEncryption[] keys = pair(Cipher.AES_GCM_16);
        assertThrows(IllegalArgumentException.class, () -> IkeFragmenter.protect(keys[0], HEADER, largeMessage(), 60));
    }
}
