package io.pathsec.ui.testsupport;

import io.pathsec.engine.control.ControlDaemon;
import io.pathsec.engine.control.DaemonOptions;

import java.nio.file.Path;

/**
 * The production daemon (real TUN devices, routes, ESP) for a GUI test that runs it inside a
 * network namespace: {@code ip netns exec NS java ... RealDaemonMain SOCKET STATE_DIR}. The
 * socket lives in the file system, so the GUI outside the namespace reaches it. SIGTERM takes
 * every tunnel down.
 */
public final class RealDaemonMain {
    private RealDaemonMain() {
    }

    public static void main(String[] args) throws Exception {
        ControlDaemon daemon = ControlDaemon.start(DaemonOptions.standard(Path.of(args[0]), Path.of(args[1]),
                "netns-test"));
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close));
        System.out.println("listening on " + args[0]);
        System.out.flush();
        Thread.currentThread().join();
    }
}
