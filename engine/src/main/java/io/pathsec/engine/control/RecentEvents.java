package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.EventType;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last events of each profile, for a diagnostics bundle: what happened before the user
 * asked. Bounded per profile; per-second counters are left out (they would push out the state
 * changes that matter, and the bundle has the current counters anyway).
 */
final class RecentEvents {
    static final int PER_PROFILE = 500;

    private final Map<String, ArrayDeque<ControlEvent>> byProfile = new ConcurrentHashMap<>();

    void record(ControlEvent event) {
        if (event.profile() == null || event.type() == EventType.TUNNEL_COUNTERS) {
            return;
        }
        ArrayDeque<ControlEvent> q = byProfile.computeIfAbsent(event.profile(), p -> new ArrayDeque<>());
        synchronized (q) {
            if (q.size() == PER_PROFILE) {
                q.removeFirst();
            }
            q.addLast(event);
        }
    }

    /** Oldest first. */
    List<ControlEvent> of(String profile) {
        ArrayDeque<ControlEvent> q = byProfile.get(profile);
        if (q == null) {
            return List.of();
        }
        synchronized (q) {
            return List.copyOf(q);
        }
    }

    void forget(String profile) {
        byProfile.remove(profile);
    }
}
