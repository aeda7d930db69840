package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ControlEvent;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Hands every event to every subscriber. An event is encoded once; each subscriber decides
 * without blocking whether it can take it (its own bounded buffer), so one slow client never
 * holds up the others or the code that publishes.
 */
public final class EventHub {
    /** A receiver of events; {@link #offer} must not block. */
    interface Subscriber {
        void offer(ControlEvent event, byte[] line);
    }

    private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
    private final RecentEvents recent = new RecentEvents();

    void add(Subscriber s) {
        subscribers.add(s);
    }

    void remove(Subscriber s) {
        subscribers.remove(s);
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /** The last events per profile, kept whether or not anyone subscribed. */
    RecentEvents recent() {
        return recent;
    }

    public void publish(ControlEvent event) {
        recent.record(event);
        if (subscribers.isEmpty()) {
            return;
        }
        byte[] line = (ControlCodec.event(event) + "\n").getBytes(StandardCharsets.UTF_8);
        for (Subscriber s : subscribers) {
            s.offer(event, line);
        }
    }
}
