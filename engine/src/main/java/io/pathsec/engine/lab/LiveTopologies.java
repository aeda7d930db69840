package io.pathsec.engine.lab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The topologies of this JVM that are not closed yet, closed by one shutdown hook when the JVM
 * ends on SIGTERM or Ctrl-C, so no namespaces or processes outlive it. (SIGKILL runs no hook;
 * {@link StaleLabs} removes those leftovers at the next start.)
 */
final class LiveTopologies {

    private static final Set<LabTopology> LIVE = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private LiveTopologies() {
    }

    static synchronized void add(LabTopology topology) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(LiveTopologies::closeAll, "pathsec-lab-shutdown"));
            hookInstalled = true;
        }
        LIVE.add(topology);
    }

    static synchronized void remove(LabTopology topology) {
        LIVE.remove(topology);
    }

    private static void closeAll() {
        List<LabTopology> open;
        synchronized (LiveTopologies.class) {
            open = new ArrayList<>(LIVE);
        }
        // Outside the lock: close() calls remove().
        open.forEach(LabTopology::close);
    }
}
