package io.pathsec.engine.icmp;

import io.pathsec.engine.control.api.IcmpDecision;
import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.IcmpOrigin;
import io.pathsec.engine.control.api.IcmpOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Records ICMP decisions: counts every one (by outcome, and by reason for drops), and logs and
 * publishes as {@code icmp.decision} events the ones the profile's logging selects.
 */
public final class IcmpDecisionLog {
    private static final Logger LOG = LoggerFactory.getLogger(IcmpDecisionLog.class);

    private final String profile;
    private final IcmpLogging logging;
    private final Consumer<IcmpDecision> events;
    private final Clock clock;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** @param events receives every logged decision; it must not block (it runs on the data path) */
    public IcmpDecisionLog(String profile, IcmpLogging logging, Consumer<IcmpDecision> events, Clock clock) {
        this.profile = profile;
        this.logging = logging;
        this.events = events;
        this.clock = clock;
    }

    /** A decision about {@code message}; {@code sa} names the SA for forwarded/delivered, {@code reason} a drop. */
    void record(IcmpErrorMessage message, IcmpOrigin origin, IcmpHandling option, IcmpOutcome outcome, String sa,
                String reason, String why) {
        count(outcome.name().toLowerCase() + (reason != null ? ":" + reason : ""));
        if (!logging.logs(message.ipVersion(), message.type(), message.code())) {
            return;
        }
        String what = IcmpNames.shortName(message.ipVersion(), message.type(), message.code())
                + (message.reportedMtu() > 0 ? " (mtu " + message.reportedMtu() + ")" : "");
        String text = what + " from " + message.sourceText() + " (" + originWords(origin) + ") about "
                + IcmpNames.flow(message.quotedFlow()).describe() + ": " + why
                + (option != null ? " (" + optionName(option) + ")" : "");
        IcmpDecision d = new IcmpDecision(profile, clock.millis(), origin, message.sourceText(), message.ipVersion(),
                message.type(), message.code(), IcmpNames.name(message.ipVersion(), message.type(), message.code()),
                IcmpNames.flow(message.quotedFlow()), option, outcome, sa, reason, text);
        // Unauthenticated outer-path ICMP can be sent by anyone at any rate: counted and published,
        // but logged at debug so that a flood of forgeries cannot fill the log (RFC 4301 §6.1.1).
        if (outcome == IcmpOutcome.DROPPED && origin != IcmpOrigin.OUTER_PATH) {
            LOG.info("ICMP {}", text);
        } else {
            LOG.debug("ICMP {}", text);
        }
        try {
            events.accept(d);
        } catch (RuntimeException e) {
            LOG.warn("icmp.decision not published: {}", e.toString()); // the decision stands
        }
    }

    /** A message that could not be read at all: counted, logged at debug (it may be a flood). */
    void malformed(String detail) {
        count("dropped:malformed");
        LOG.debug("ICMP error dropped, unreadable: {}", detail);
    }

    private void count(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Decisions so far: {@code forwarded}, {@code delivered}, {@code dropped:<reason>}, … → count. */
    public Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    static String optionName(IcmpHandling h) {
        return switch (h) {
            case DISCARD -> "discard";
            case EXPLICIT_SA -> "explicit-sa";
            case IMPLICIT -> "implicit";
            case RELAY_IKE -> "ike-relay";
        };
    }

    private static String originWords(IcmpOrigin origin) {
        return switch (origin) {
            case END_NODE -> "end node";
            case INSIDE_ROUTER -> "inside router";
            case OUTER_PATH -> "outer path";
            case PEER_GATEWAY -> "from the peer";
        };
    }
}
