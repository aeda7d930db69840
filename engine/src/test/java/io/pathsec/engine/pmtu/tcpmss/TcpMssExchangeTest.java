package io.pathsec.engine.pmtu.tcpmss;

import io.pathsec.engine.ike.session.IkeSaExtensionKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Initiator and responder over real kernel TCP on the loopback (no mark, no root): a whole
 * exchange, and every way a connection is refused and counted. The clamped-MSS path of the lab
 * is in {@link TcpMssLabTest}.
 */
class TcpMssExchangeTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    private TcpMssResponder responder;

    @AfterEach
    void closeResponder() {
        if (responder != null) {
            responder.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    /** Generous exchange time: the first exchange of a JVM also loads the libc binding. */
    private static TcpMssSettings settings(int port) {
        return new TcpMssSettings(true, port, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    private static TcpMssKeySource keys(long spiI, long spiR, byte[] key) {
        return (label, length) -> Optional.of(new IkeSaExtensionKey(spiI, spiR, key));
    }

    private static TcpMssResult initiate(TcpMssSettings s, TcpMssKeySource keys, TcpMssStats stats) throws Exception {
        CompletableFuture<TcpMssResult> done = new CompletableFuture<>();
        Optional<TcpMssInitiator> i = TcpMssInitiator.afterIkeAuth(s, true, keys, LOOPBACK, LOOPBACK, 0, stats,
                done::complete);
        assertTrue(i.isPresent());
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void bothSidesMeasureTheSamePathMtuAndThePortClosesAfterwards() throws Exception {
        TcpMssSettings s = settings(freePort());
        responder = new TcpMssResponder(LOOPBACK, s, 0);
        CompletableFuture<TcpMssResult> responderDone = new CompletableFuture<>();
        responder.afterIkeAuth(true, keys(1, 2, KEY), LOOPBACK, responderDone::complete);
        assertTrue(responder.listening(), "listens while an IKE SA waits");
        TcpMssStats stats = new TcpMssStats();

        TcpMssResult.Measured mine = assertInstanceOf(TcpMssResult.Measured.class, initiate(s, keys(1, 2, KEY), stats));
        TcpMssResult.Measured theirs = assertInstanceOf(TcpMssResult.Measured.class,
                responderDone.get(5, TimeUnit.SECONDS));
        assertEquals(mine.pathMtu(), theirs.pathMtu());
        assertEquals(mine.localMss(), theirs.peerMss());
        assertEquals(mine.peerMss(), theirs.localMss());
        assertEquals(Math.min(mine.localMss(), mine.peerMss()) + 40, mine.pathMtu());
        assertEquals(1, stats.counts().measured());
        assertEquals(1, responder.stats().counts().measured());
        assertFalse(responder.listening(), "no IKE SA waits any more: the port is closed");
    }

    @Test
    void portReopensForTheNextIkeSa() throws Exception {
        TcpMssSettings s = settings(freePort());
        responder = new TcpMssResponder(LOOPBACK, s, 0);
        for (long spiR = 2; spiR <= 3; spiR++) {
            CompletableFuture<TcpMssResult> responderDone = new CompletableFuture<>();
            responder.afterIkeAuth(true, keys(1, spiR, KEY), LOOPBACK, responderDone::complete);
            assertTrue(responder.listening(), "open again for IKE SA " + spiR);
            assertInstanceOf(TcpMssResult.Measured.class, initiate(s, keys(1, spiR, KEY), new TcpMssStats()));
            assertInstanceOf(TcpMssResult.Measured.class, responderDone.get(5, TimeUnit.SECONDS));
        }
        assertEquals(2, responder.stats().counts().measured());
    }

    @Test
    void wrongKeyIsRejectedAndCountedOnBothSides() throws Exception {
        TcpMssSettings s = settings(freePort());
        responder = new TcpMssResponder(LOOPBACK, s, 0);
        responder.afterIkeAuth(true, keys(1, 2, KEY), LOOPBACK, r -> { });
        byte[] wrong = KEY.clone();
        wrong[0] ^= 1;
        TcpMssStats stats = new TcpMssStats();
        TcpMssResult.Failed f = assertInstanceOf(TcpMssResult.Failed.class, initiate(s, keys(1, 2, wrong), stats));
        assertEquals(TcpMssRejection.CLOSED_EARLY, f.reason(), "the responder hangs up without an answer");
        assertEquals(1, responder.stats().counts().rejected(TcpMssRejection.BAD_MAC));
        assertTrue(responder.listening(), "the real IKE SA still waits");
    }

    @Test
    void ikeSaStopsWaitingAfterThreeBadAttempts() throws Exception {
        TcpMssSettings s = settings(freePort());
        responder = new TcpMssResponder(LOOPBACK, s, 0);
        CompletableFuture<TcpMssResult> done = new CompletableFuture<>();
        responder.afterIkeAuth(true, keys(1, 2, KEY), LOOPBACK, done::complete);
        byte[] wrong = KEY.clone();
        wrong[5] ^= 1;
        for (int i = 0; i < TcpMssResponder.MAX_FAILURES; i++) {
            initiate(s, keys(1, 2, wrong), new TcpMssStats());
        }
        TcpMssResult.Failed f = assertInstanceOf(TcpMssResult.Failed.class, done.get(5, TimeUnit.SECONDS));
        assertEquals(TcpMssRejection.BAD_MAC, f.reason());
        assertEquals(TcpMssResponder.MAX_FAILURES, responder.stats().counts().rejected(TcpMssRejection.BAD_MAC),
                "each attempt counted once");
        assertFalse(responder.listening(), "nothing waits any more");
    }

    /** Someone who took over the port (or the connection) answers without the key: the initiator refuses it. */
    @Test
    void answerFromAnImpostorIsRejectedByTheInitiator() throws Exception {
        try (ServerSocket impostor = new ServerSocket(0, 1, LOOPBACK)) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (java.net.Socket s = impostor.accept()) {
                    s.setSoTimeout(5000);
                    byte[] hello = s.getInputStream().readNBytes(TcpMssMessage.Type.HELLO.length);
                    byte[] guess = new byte[32];
                    TcpMssTranscript t = new TcpMssTranscript(guess);
                    t.seal(java.util.Arrays.copyOf(hello, hello.length - TcpMssTranscript.MAC_LENGTH));
                    s.getOutputStream().write(t.seal(new TcpMssMessage.ResponderMss(new byte[16], 536).body()));
                    s.getInputStream().read(); // until the initiator hangs up
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            TcpMssStats stats = new TcpMssStats();
            TcpMssResult.Failed f = assertInstanceOf(TcpMssResult.Failed.class,
                    initiate(settings(impostor.getLocalPort()), keys(1, 2, KEY), stats));
            assertEquals(TcpMssRejection.BAD_MAC, f.reason());
            assertEquals(1, stats.counts().rejected(TcpMssRejection.BAD_MAC));
            served.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void helloNamingAnotherIkeSaIsRejected() throws Exception {
        TcpMssSettings s = settings(freePort());
        responder = new TcpMssResponder(LOOPBACK, s, 0);
        responder.afterIkeAuth(true, keys(1, 2, KEY), LOOPBACK, r -> { });
        initiate(s, keys(1, 3, KEY), new TcpMssStats());
        assertEquals(1, responder.stats().counts().rejected(TcpMssRejection.UNKNOWN_IKE_SA));
    }

    @Test
    void connectionFromAnAddressNoIkeSaHasIsRejected() throws Exception {
        TcpMssSettings s = settings(freePort());
        responder = new TcpMssResponder(InetAddress.getByName("0.0.0.0"), s, 0);
        responder.afterIkeAuth(true, keys(1, 2, KEY), InetAddress.getByName("127.0.0.2"), r -> { });
        initiate(s, keys(1, 2, KEY), new TcpMssStats());
        assertEquals(1, responder.stats().counts().rejected(TcpMssRejection.UNEXPECTED_PEER));
    }

    @Test
    void closedPortFailsQuicklyAndQuietly() throws Exception {
        TcpMssStats stats = new TcpMssStats();
        long start = System.nanoTime();
        TcpMssResult.Failed f = assertInstanceOf(TcpMssResult.Failed.class,
                initiate(settings(freePort()), keys(1, 2, KEY), stats));
        assertEquals(TcpMssRejection.UNREACHABLE, f.reason());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "retries are bounded");
        assertEquals(1, stats.counts().rejected(TcpMssRejection.UNREACHABLE));
    }

    @Test
    void nothingHappensWithoutTheVendorIdOrWhenOff() throws Exception {
        TcpMssSettings s = settings(freePort());
        assertTrue(TcpMssInitiator.afterIkeAuth(s, false, keys(1, 2, KEY), LOOPBACK, LOOPBACK, 0, new TcpMssStats(),
                r -> { }).isEmpty());
        assertTrue(TcpMssInitiator.afterIkeAuth(s.withEnabled(false, s.port()), true, keys(1, 2, KEY), LOOPBACK,
                LOOPBACK, 0, new TcpMssStats(), r -> { }).isEmpty());
        responder = new TcpMssResponder(LOOPBACK, s, 0);
        responder.afterIkeAuth(false, keys(1, 2, KEY), LOOPBACK, r -> { });
        assertFalse(responder.listening(), "a peer without the Vendor ID opens no port");
    }

    @Test
    void responderStopsWaitingAfterTheListenWindow() throws Exception {
        int port = freePort();
        TcpMssSettings s = new TcpMssSettings(true, port, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(300));
        responder = new TcpMssResponder(LOOPBACK, s, 0);
        CompletableFuture<TcpMssResult> done = new CompletableFuture<>();
        responder.afterIkeAuth(true, keys(1, 2, KEY), LOOPBACK, done::complete);
        TcpMssResult.Failed f = assertInstanceOf(TcpMssResult.Failed.class, done.get(5, TimeUnit.SECONDS));
        assertEquals(TcpMssRejection.TIMEOUT, f.reason());
        assertFalse(responder.listening());
    }
}
