package io.pathsec.engine.pmtu;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A prober's black-hole check as the suspecting side sees it: whether it is ready, and what it was asked. */
final class RecordingBlackHoleCheck implements PmtuState.BlackHoleCheck {
    boolean ready = true;
    final List<Long> inboundAt = new ArrayList<>();
    final List<Consumer<BlackHoleEvent>> confirmed = new ArrayList<>();

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public boolean start(long inbound, Consumer<BlackHoleEvent> onConfirmed) {
        inboundAt.add(inbound);
        confirmed.add(onConfirmed);
        return true;
    }
}
