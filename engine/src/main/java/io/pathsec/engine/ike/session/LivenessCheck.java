package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Dead peer detection (RFC 7296 §2.4): when nothing authenticated arrived for {@code dpdDelay},
 * an empty INFORMATIONAL request goes out; any answer proves liveness. When that request (or
 * any other) is not answered after every retransmission, the IKE SA is declared dead.
 */
final class LivenessCheck {
    private final IkeScheduler scheduler;
    private final Duration dpdDelay;
    private final Supplier<IkeSa> currentSa;
    private final Runnable onDead;
    private Instant lastHeard;
    private IkeScheduler.Cancellable timer;
    private long checksSent;
    private boolean stopped;

    LivenessCheck(IkeScheduler scheduler, Duration dpdDelay, Supplier<IkeSa> currentSa, Runnable onDead) {
        this.scheduler = scheduler;
        this.dpdDelay = dpdDelay;
        this.currentSa = currentSa;
        this.onDead = onDead;
        this.lastHeard = scheduler.now();
    }

    void start() {
        arm(dpdDelay);
    }

    /** Anything authenticated from the peer: it is alive now. */
    void heard() {
        lastHeard = scheduler.now();
    }

    Instant lastHeard() {
        return lastHeard;
    }

    long checksSent() {
        return checksSent;
    }

    /** Seconds since the peer was last heard from, for the "unreachable" message. */
    long silentSeconds() {
        return Duration.between(lastHeard, scheduler.now()).toSeconds();
    }

    private void arm(Duration delay) {
        if (stopped || IkeSessionTimers.off(dpdDelay)) {
            return;
        }
        timer = scheduler.schedule(delay, this::check);
    }

    private void check() {
        if (stopped) {
            return;
        }
        Duration silent = Duration.between(lastHeard, scheduler.now());
        IkeSa sa = currentSa.get();
        if (silent.compareTo(dpdDelay) < 0 || sa.requestPending()) {
            // Heard recently, or a request is in flight and its retransmissions already probe (§2.4).
            arm(silent.compareTo(dpdDelay) < 0 ? dpdDelay.minus(silent) : dpdDelay);
            return;
        }
        checksSent++;
        sa.sendRequest(ExchangeType.INFORMATIONAL, List.of(), new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
                arm(dpdDelay);
            }

            @Override
            public void onTimeout() {
                onDead.run();
            }
        });
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
        }
    }
}
