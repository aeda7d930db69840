package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.EventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A daemon that stops must hang up on every client, so that CLIs and GUIs say "lost contact" at
 * once instead of waiting on a socket nobody serves any more.
 */
@Timeout(120)
class ControlDaemonCloseTest {
    /**
     * The case that once left connections open: another client hangs up just before the daemon
     * stops, so its event loop is busy when it is told to shut down. Repeated because the
     * window is short; each round is a fresh daemon.
     */
    @Test
    void everyConnectedClientHearsTheStopEvenRightAfterAnotherClientLeft() throws Exception {
        for (int round = 0; round < 40; round++) {
            CompletableFuture<Exception> closed = new CompletableFuture<>();
            TestDaemon d = new TestDaemon();
            try (ControlClient subscriber = ControlClient.connect(d.socket)) {
                subscriber.subscribe(List.of(), null, new EventListener() {
                    @Override
                    public void onEvent(ControlEvent event) {
                    }

                    @Override
                    public void onClosed(Exception cause) {
                        closed.complete(cause);
                    }
                });
                ControlClient leaving = ControlClient.connect(d.socket);
                leaving.status();
                leaving.close();
                d.close();
                try {
                    assertNotNull(closed.get(5, TimeUnit.SECONDS), "closed by the daemon, not by the client");
                } catch (TimeoutException e) {
                    fail("round " + round + ": the subscriber's connection is still open 5 s after the daemon stopped");
                }
            }
        }
    }
}
