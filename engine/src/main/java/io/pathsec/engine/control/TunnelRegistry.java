package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.engine.control.api.TunnelStateChanged;
import io.pathsec.engine.diag.OuterPacketRing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tunnels the daemon holds, one slot per profile name, and their state machine:
 * DISCONNECTED → CONNECTING → CONNECTED → DISCONNECTING → DISCONNECTED, or CONNECTING → FAILED.
 * Each slot's transitions are serialised by its own lock, so connecting one profile never
 * waits for another; every change is published as a {@link TunnelStateChanged}.
 */
final class TunnelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelRegistry.class);

    private final TunnelStarter starter;
    private final EventHub events;
    private final PmtuEvents pmtu;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private volatile boolean closed;

    TunnelRegistry(TunnelStarter starter, EventHub events) {
        this.starter = starter;
        this.events = events;
        this.pmtu = new PmtuEvents(events);
    }

    /** Publishes the PMTU changes of the tunnel's outbound SAs not watched yet (a rekey adds SAs). */
    void watchPmtu(String name, RunningTunnel tunnel) {
        pmtu.watch(name, tunnel);
    }

    /**
     * One profile's tunnel. Changes happen under the slot's lock; reads for status do not take
     * it (hence volatile), so a status never waits for a slow connect.
     */
    private static final class Slot {
        final String name;
        volatile ProfileKind kind;
        volatile TunnelState state = TunnelState.DISCONNECTED;
        volatile RunningTunnel tunnel;
        volatile long upSince;
        volatile String error;
        /** Whether the user asked to keep the last outer packets (diag.capture); survives reconnects. */
        volatile boolean captureWanted;
        volatile OuterPacketRing capture;

        Slot(String name) {
            this.name = name;
        }
    }

    private Slot slot(String name) {
        return slots.computeIfAbsent(name, Slot::new);
    }

    /** Brings the tunnel up; a tunnel already up is left as it is (connect is idempotent). */
    TunnelInfo connect(TunnelProfile profile) throws ControlFailure {
        Slot s = slot(profile.name());
        synchronized (s) {
            if (closed) {
                throw new ControlFailure(ErrorCode.TUNNEL_FAILED, "the daemon is shutting down");
            }
            s.kind = profile.kind();
            if (s.state == TunnelState.CONNECTED) {
                return info(s);
            }
            transition(s, TunnelState.CONNECTING, null);
            try {
                s.capture = null;
                s.tunnel = starter.start(profile, context(s));
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.warn("tunnel {} failed to come up: {}", profile.name(), why);
                transition(s, TunnelState.FAILED, why);
                throw new ControlFailure(ErrorCode.TUNNEL_FAILED, "tunnel " + profile.name() + " failed: " + why);
            }
            s.upSince = System.currentTimeMillis();
            pmtu.watch(profile.name(), s.tunnel);
            transition(s, TunnelState.CONNECTED, null);
            return info(s);
        }
    }

    /** What a starting tunnel may use of the daemon: the event stream, its capture, a way to report its death. */
    private TunnelContext context(Slot s) {
        AtomicBoolean reported = new AtomicBoolean();
        return new TunnelContext(events::publish, outer -> {
            OuterPacketRing ring = new OuterPacketRing(outer);
            ring.arm(s.captureWanted);
            s.capture = ring;
            return ring;
        }, why -> {
            if (reported.compareAndSet(false, true)) {
                // Off the tunnel's own thread: closing a tunnel waits for that thread to finish.
                Thread t = new Thread(() -> lost(s, why), "pathsec-tunnel-lost-" + s.name);
                t.setDaemon(true);
                t.start();
            }
        });
    }

    /** The tunnel died on its own: take down what is left, and say why. */
    private void lost(Slot s, String why) {
        synchronized (s) {
            if (s.state != TunnelState.CONNECTED || s.tunnel == null) {
                return; // a disconnect got there first
            }
            LOG.warn("tunnel {} lost: {}", s.name, why);
            closeQuietly(s);
            transition(s, TunnelState.FAILED, why);
        }
    }

    /**
     * Starts or stops keeping the tunnel's last outer packets; the choice holds for later
     * connects too. Returns the packets kept now.
     */
    int capture(String name, boolean enabled) {
        Slot s = slot(name);
        s.captureWanted = enabled;
        OuterPacketRing ring = s.capture;
        if (ring != null) {
            ring.arm(enabled);
            return ring.size();
        }
        return 0;
    }

    /**
     * The capture ring of the tunnel's last start, or null; kept after a failure or disconnect,
     * since the packets before a failure are what a bundle is for.
     */
    OuterPacketRing captureRing(String name) {
        Slot s = slots.get(name);
        return s == null ? null : s.capture;
    }

    /** Takes the tunnel down; one that is not up is answered as it is. */
    TunnelInfo disconnect(String name, ProfileKind kind) {
        Slot s = slot(name);
        synchronized (s) {
            if (s.kind == null) {
                s.kind = kind;
            }
            if (s.tunnel != null) {
                transition(s, TunnelState.DISCONNECTING, null);
                closeQuietly(s);
                transition(s, TunnelState.DISCONNECTED, null);
            } else if (s.state == TunnelState.FAILED) {
                transition(s, TunnelState.DISCONNECTED, null);
            }
            return info(s);
        }
    }

    TunnelInfo info(String name, ProfileKind kind) {
        Slot s = slots.get(name);
        if (s == null) {
            return new TunnelInfo(name, kind, TunnelState.DISCONNECTED, null, 0, null, null);
        }
        return info(s);
    }

    TunnelState state(String name) {
        Slot s = slots.get(name);
        return s == null ? TunnelState.DISCONNECTED : s.state;
    }

    /** The tunnel if it is up; read without the slot lock, so status never waits for a connect. */
    RunningTunnel running(String name) {
        Slot s = slots.get(name);
        return s == null || s.state != TunnelState.CONNECTED ? null : s.tunnel;
    }

    /** Every tunnel that is up, by profile name. */
    Map<String, RunningTunnel> running() {
        Map<String, RunningTunnel> up = new LinkedHashMap<>();
        for (Slot s : slots.values()) {
            RunningTunnel t = s.tunnel;
            if (s.state == TunnelState.CONNECTED && t != null) {
                up.put(s.name, t);
            }
        }
        return up;
    }

    /** Drops the slot of a deleted profile (after {@link #disconnect}). */
    void forget(String name) {
        slots.remove(name);
    }

    private static TunnelInfo info(Slot s) {
        TunnelState state = s.state;
        RunningTunnel t = s.tunnel;
        boolean up = state == TunnelState.CONNECTED && t != null;
        return new TunnelInfo(s.name, s.kind, state, up ? t.device() : null,
                up ? System.currentTimeMillis() - s.upSince : 0, up ? t.counters() : null,
                state == TunnelState.FAILED ? s.error : null);
    }

    private void transition(Slot s, TunnelState next, String error) {
        TunnelState previous = s.state;
        s.state = next;
        s.error = error;
        String device = next == TunnelState.CONNECTED && s.tunnel != null ? s.tunnel.device() : null;
        if (next == TunnelState.CONNECTED) {
            LOG.info("tunnel {} connected on {}", s.name, device);
        } else if (next == TunnelState.DISCONNECTED) {
            LOG.info("tunnel {} disconnected", s.name);
        }
        events.publish(new TunnelStateChanged(s.name, System.currentTimeMillis(), next, previous, device, error));
    }

    private static void closeQuietly(Slot s) {
        try {
            s.tunnel.close();
        } catch (RuntimeException e) {
            LOG.warn("tunnel {}: error while closing: {}", s.name, e.toString());
        }
        s.tunnel = null;
    }

    /** Takes every tunnel down: the daemon is stopping, and must leave no device or rule behind. */
    @Override
    public void close() {
        closed = true;
        for (Slot s : slots.values()) {
            synchronized (s) {
                if (s.tunnel != null) {
                    transition(s, TunnelState.DISCONNECTING, null);
                    closeQuietly(s);
                    transition(s, TunnelState.DISCONNECTED, null);
                }
            }
        }
    }
}
