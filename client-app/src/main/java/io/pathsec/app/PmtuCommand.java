package io.pathsec.app;

import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.EventType;
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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code pathsec pmtu NAME}: a live view of a tunnel's per-SA path MTU state, redrawn on each
 * of the daemon's per-second counter events. The daemon does not report PMTU yet; the view
 * shows the SAs and traffic it has and says "no PMTU data yet" until it does.
 */
@Command(name = "pmtu", mixinStandardHelpOptions = true,
        description = "Watch a tunnel's path MTU state per SA (Ctrl-C to stop).")
final class PmtuCommand implements Callable<Integer> {
    static final String NO_DATA = "no PMTU data yet";
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

    /** One view, also the --json line. */
    record View(String profile, String state, String device, List<SaInfo> sas, Object pmtu, String note) {
    }

    @Override
    public Integer call() {
        return DaemonCall.run(spec, options, client -> {
            BlockingQueue<ControlEvent> ticks = new LinkedBlockingQueue<>();
            client.subscribe(List.of(EventType.TUNNEL_COUNTERS, EventType.TUNNEL_STATE), name, ticks::add);
            boolean clear = System.console() != null && !options.json;
            for (int shown = 0; count == 0 || shown < count; shown++) {
                View v = view(client);
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
                ticks.clear(); // redraw once per burst
            }
            return ExitCodes.OK;
        });
    }

    private View view(ControlClient client) throws IOException, ControlException {
        TunnelInfo t = client.status().tunnels().stream().filter(x -> x.profile().equals(name)).findFirst()
                .orElseThrow(() -> new ControlException(new io.pathsec.engine.control.api.ControlError(
                        io.pathsec.engine.control.api.ErrorCode.NOT_FOUND, "no profile named " + name)));
        List<SaInfo> sas = t.state() == TunnelState.CONNECTED ? client.securityAssociations(name).sas() : List.of();
        return new View(name, t.state().name().toLowerCase(), t.device(), sas, null, NO_DATA);
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
        for (SaInfo sa : v.sas()) {
            out.printf("%-12s %-9s %-18s %10d %12s  %s%n", sa.spi(), sa.direction(), sa.transform(), sa.packets(),
                    HumanUnits.bytes(sa.bytes()), "-");
        }
        out.println(v.note());
        out.flush();
    }
}
