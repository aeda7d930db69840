package io.pathsec.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Removes the desktop lab once, from whichever comes first: the window closing (the main thread)
 * or Ctrl-C / SIGTERM (the shutdown hook, while the main thread may still be inside the JavaFX
 * launcher). The daemon, G2's engine and the namespaces go with {@link LabDesktop#close()}; the
 * work directory holds the keys, so it goes too.
 */
final class LabRemoval implements Runnable {
    private final Path work;
    private final PrintStream out;
    private final AtomicReference<LabDesktop> desktop = new AtomicReference<>();
    private final AtomicBoolean done = new AtomicBoolean();

    LabRemoval(Path work, PrintStream out) {
        this.work = work;
        this.out = out;
    }

    /** What to close once it is up. */
    void track(LabDesktop started) {
        desktop.set(started);
    }

    @Override
    public void run() {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        LabDesktop d = desktop.get();
        if (d != null) {
            d.close();
        }
        try {
            LabCommand.deleteRecursively(work);
        } catch (IOException e) {
            out.println("could not delete " + work + " (it holds the lab's keys): " + e.getMessage());
        }
        out.println("lab removed (namespaces, daemon, engines, keys)");
    }
}
