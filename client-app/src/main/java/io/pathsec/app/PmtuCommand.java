package io.pathsec.app;

import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.EventType;
import io.pathsec.engine.control.api.PmtuBlackHole;
import io.pathsec.engine.control.api.PmtuReport;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code pathsec pmtu NAME}: a live view of a tunnel's per-SA path MTU state (the {@code pmtu}
 * request), redrawn on each {@code pmtu.sample} and {@code pmtu.blackhole} event and on the
 * daemon's per-second counter events. It says "no PMTU data yet" only when the tunnel's data
 * path reports no PMTU state at all; the last black hole's message shows under the table.
 */
@Command(name = "pmtu", mixinStandardHelpOptions = true,
        description = "Watch a tunnel's path MTU state per SA (Ctrl-C to stop).")
final class PmtuCommand implements Callable<Integer> {
    static final String NO_DATA = "no PMTU data yet";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    /** A connected tunnel sends counters each second; this long without any means the stream stalled. */
    private static final long STALL_SECONDS = 5;

    @Mixin
    ClientOptions options;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "the profile")
    String name;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "stop after N views (default: run until Ctrl-C or the tunnel goes down)")
    int count;

    /**
     * One view, also the --json line.
     *
     * @param pmtu the {@code pmtu} answer's SAs (empty when there is no PMTU data)
     * @param note "no PMTU data yet", or the last black hole's message, or null
     */
    record View(String profile, String state, String device, List<SaInfo> sas, List<PmtuReport.Sa> pmtu, String note) {
    }

    @Override
    public Integer call() {
        return DaemonCall.run(spec, options, client -> {
            BlockingQueue<ControlEvent> ticks = new LinkedBlockingQueue<>();
            client.subscribe(List.of(EventType.TUNNEL_COUNTERS, EventType.TUNNEL_STATE, EventType.PMTU_SAMPLE,
                    EventType.PMTU_BLACKHOLE), name, ticks::add);
            boolean clear = System.console() != null && !options.json;
            String blackHole = null;
            for (int shown = 0; count == 0 || shown < count; shown++) {
                View v = view(client, blackHole);
                render(v, clear);
                if (!TunnelState.CONNECTED.name().equalsIgnoreCase(v.state())) {
                    spec.commandLine().getErr().println(name + " is not connected (pathsec connect " + name + ")");
                    return shown == 0 ? ExitCodes.NOT_FOUND : ExitCodes.OK;
                }
                if (count != 0 && shown + 1 >= count) {
                    break;
                }
                if (ticks.poll(STALL_SECONDS, TimeUnit.SECONDS) == null) {
                    spec.commandLine().getErr().println("no news from the daemon for " + STALL_SECONDS + " s; stopping");
                    return ExitCodes.FAILURE;
                }
                // Redraw once per burst; a black hole's story stays under the table.
                List<ControlEvent> burst = new ArrayList<>();
                ticks.drainTo(burst);
                for (ControlEvent e : burst) {
                    if (e instanceof PmtuBlackHole b) {
                        blackHole = b.message();
                    }
                }
            }
            return ExitCodes.OK;
        });
    }

    private View view(ControlClient client, String blackHole) throws IOException, ControlException {
        TunnelInfo t = client.status().tunnels().stream().filter(x -> x.profile().equals(name)).findFirst()
                .orElseThrow(() -> new ControlException(new io.pathsec.engine.control.api.ControlError(
                        io.pathsec.engine.control.api.ErrorCode.NOT_FOUND, "no profile named " + name)));
        boolean up = t.state() == TunnelState.CONNECTED;
        List<SaInfo> sas = up ? client.securityAssociations(name).sas() : List.of();
        List<PmtuReport.Sa> pmtu = up ? pmtu(client) : List.of();
        String note = pmtu.isEmpty() ? NO_DATA : blackHole;
        return new View(name, t.state().name().toLowerCase(), t.device(), sas, pmtu, note);
    }

    /** The PMTU answer; a daemon from before {@code pmtu} (or a tunnel that just went down) has none. */
    private List<PmtuReport.Sa> pmtu(ControlClient client) throws IOException, ControlException {
        try {
            return client.pmtu(name).sas();
        } catch (ControlException e) {
            if (e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.BAD_REQUEST) {
                return List.of();
            }
            throw e;
        }
    }

    private void render(View v, boolean clear) {
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            out.println(ControlCodec.gson().toJson(v));
            out.flush();
            return;
        }
        if (clear) {
            out.print("\033[H\033[2J"); // home and clear: redraw in place like top(1)
        }
        out.printf("%s  %s  %s%n", v.profile(), v.state(), v.device() == null ? "-" : v.device());
        out.printf("%-12s %-9s %-18s %10s %12s  %s%n", "SPI", "DIR", "TRANSFORM", "PACKETS", "BYTES", "PMTU");
        Map<String, PmtuReport.Sa> bySpi = new HashMap<>();
        v.pmtu().forEach(p -> bySpi.put(p.spi(), p));
        for (SaInfo sa : v.sas()) {
            PmtuReport.Sa p = bySpi.get(sa.spi());
            out.printf("%-12s %-9s %-18s %10d %12s  %s%n", sa.spi(), sa.direction(), sa.transform(), sa.packets(),
                    HumanUnits.bytes(sa.bytes()), p == null ? "-" : p.plpmtu() + " (inner " + p.effectiveMtu() + ")");
        }
        for (PmtuReport.Sa p : v.pmtu()) {
            out.printf("%nSA %s: PLPMTU %d, effective inner MTU %d, %s (floor %d, base %d, maximum %d)%n", p.sa(),
                    p.plpmtu(), p.effectiveMtu(), p.search(), p.floor(), p.base(), p.maximum());
            p.lastBySource().values().forEach(o -> out.printf("  %-13s %5d  at %s%n", o.source(), o.value(),
                    TIME.format(Instant.ofEpochMilli(o.at()))));
            for (PmtuReport.BlackHole b : p.blackHoles()) {
                out.printf("  black hole at %s: %d-byte packets vanished, PLPMTU %d -> %d%n",
                        TIME.format(Instant.ofEpochMilli(b.at())), b.vanishedSize(), b.previousPlpmtu(), b.newPlpmtu());
            }
        }
        if (v.note() != null) {
            out.println(v.note());
        }
        out.flush();
    }
}
