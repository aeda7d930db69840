package io.pathsec.engine.lab;

import java.time.Duration;

/**
 * A separate JVM that builds a lab and waits, so {@link LabLifecycleTest} can end it with
 * SIGTERM (the shutdown hook must clean up) or SIGKILL (the next cleanStale must).
 */
public final class LabChild {

    private LabChild() {
    }

    public static void main(String[] args) throws Exception {
        LabTopology lab = LabTopology.create(LabOptions.defaults());
        System.out.println("READY " + lab.namespace(LabNode.E1));
        System.out.flush();
        // Bounded: never outlives the test by more than a minute even if nobody ends it.
        Thread.sleep(Duration.ofSeconds(60).toMillis());
        lab.close();
    }
}
