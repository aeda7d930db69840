package io.pathsec.app;

import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.EventListener;
import io.pathsec.engine.control.api.EventType;
import io.pathsec.engine.control.api.EventsDropped;
import io.pathsec.engine.control.api.LogLine;
import io.pathsec.engine.control.api.TunnelCounters;
import io.pathsec.engine.control.api.SaChanged;
import io.pathsec.engine.control.api.TunnelProgress;
import io.pathsec.engine.control.api.TunnelStateChanged;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@code pathsec events}: follows the daemon's event stream until Ctrl-C (or {@code --count}). */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Follow the daemon's events: tunnel states, counters each second, log lines.",
                "With --json, one event envelope per line (as on the control socket)."})
final class EventsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Mixin
    ClientOptions options;
    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "NAME", description = "only events about this profile")
    String profile;

    @Option(names = "--type", paramLabel = "TYPE", split = ",", converter = WireNameConverter.class,
            completionCandidates = WireNames.class,
            description = "only these event types: ${COMPLETION-CANDIDATES} (default: all)")
    List<EventType> types = new ArrayList<>();

    /** Event types by the names they have on the wire and in the docs ({@code tunnel.state}). */
    static final class WireNameConverter implements CommandLine.ITypeConverter<EventType> {
        @Override
        public EventType convert(String value) {
            return EventType.byWireName(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "unknown event type '" + value + "'; known: " + String.join(", ", EventType.wireNames())));
        }
    }

    static final class WireNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return EventType.wireNames().iterator();
        }
    }

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "exit after N events (default: follow until interrupted)")
    long count;

    /** Something from the reader thread: an event, or the end of the stream. */
    private record Item(ControlEvent event, Exception closedBy) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return DaemonCall.run(spec, options, client -> {
            BlockingQueue<Item> items = new LinkedBlockingQueue<>();
            client.subscribe(types, profile, new EventListener() {
                @Override
                public void onEvent(ControlEvent event) {
                    items.add(new Item(event, null));
                }

                @Override
                public void onClosed(Exception cause) {
                    items.add(new Item(null, cause == null ? new Exception("closed") : cause));
                }
            });
            long printed = 0;
            while (count == 0 || printed < count) {
                Item item = items.poll(1, TimeUnit.SECONDS);
                if (item == null) {
                    continue;
                }
                if (item.event() == null) {
                    spec.commandLine().getErr().println("pathsec events: the daemon closed the connection ("
                            + item.closedBy().getMessage() + ")");
                    return ExitCodes.DAEMON_UNAVAILABLE;
                }
                out.println(options.json ? ControlCodec.event(item.event()) : human(item.event()));
                out.flush();
                printed++;
            }
            return ExitCodes.OK;
        });
    }

    static String human(ControlEvent e) {
        String time = LocalTime.ofInstant(Instant.ofEpochMilli(e.at()), ZoneId.systemDefault()).format(TIME);
        String what;
        if (e instanceof TunnelStateChanged s) {
            what = s.state().name().toLowerCase() + (s.device() != null ? " on " + s.device() : "")
                    + (s.error() != null ? ": " + s.error() : "");
        } else if (e instanceof TunnelCounters c) {
            what = "sent " + HumanUnits.bytes(c.counters().sentBytes()) + " (" + HumanUnits.bitsPerSecond(c.rates().sentBitsPerSecond())
                    + "), received " + HumanUnits.bytes(c.counters().receivedBytes()) + " ("
                    + HumanUnits.bitsPerSecond(c.rates().receivedBitsPerSecond()) + ")";
        } else if (e instanceof LogLine l) {
            what = l.level() + " " + l.logger() + ": " + l.message();
        } else if (e instanceof EventsDropped d) {
            what = d.count() + " events dropped: this terminal read too slowly";
        } else if (e instanceof TunnelProgress p) {
            what = p.detail();
        } else if (e instanceof SaChanged sa) {
            what = ControlCodec.gson().toJson(sa.change()).replace("\"", "")
                    + (sa.inboundSpi() != null ? " in " + sa.inboundSpi() : "")
                    + (sa.outboundSpi() != null ? " out " + sa.outboundSpi() : "") + " " + sa.transform()
                    + (sa.replacedSpi() != null ? " (replaces " + sa.replacedSpi() + ")" : "");
        } else if (e instanceof io.pathsec.engine.control.api.PmtuSampled p) {
            what = "SA " + p.spi() + " PLPMTU " + p.plpmtu() + " (inner MTU " + p.previousEffectiveMtu() + " -> "
                    + p.effectiveMtu() + ") from " + p.source();
        } else if (e instanceof io.pathsec.engine.control.api.PmtuBlackHole b) {
            what = "SA " + b.spi() + ": " + b.message();
        } else if (e instanceof io.pathsec.engine.control.api.IcmpDecision d) {
            what = IcmpDecisionText.line(d);
        } else {
            what = ControlCodec.gson().toJson(e);
        }
        return time + " " + (e.profile() == null ? "-" : e.profile()) + " " + e.type().wireName() + " " + what;
    }
}
