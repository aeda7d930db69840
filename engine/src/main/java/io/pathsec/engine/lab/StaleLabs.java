package io.pathsec.engine.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Finds and removes the namespaces of lab runs whose JVM is gone (killed, crashed): every
 * {@code ps<pid>-…} namespace whose PID no longer exists. Processes still running inside are
 * ended by PID first; they were started by that dead run.
 */
final class StaleLabs {

    private StaleLabs() {
    }

    /** Removes every stale lab namespace and returns their names. */
    static List<String> clean() throws IOException {
        List<String> removed = new ArrayList<>();
        IOException failure = null;
        for (String name : Netns.list()) {
            OptionalLong owner = LabNames.ownerPid(name);
            if (owner.isEmpty() || ProcessHandle.of(owner.getAsLong()).isPresent()) {
                continue;
            }
            try {
                Netns.existing(name).destroy();
                removed.add(name);
            } catch (IOException e) {
                // Keep going: one stuck namespace must not leave all the others behind.
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return removed;
    }
}
