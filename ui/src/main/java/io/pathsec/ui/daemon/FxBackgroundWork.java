package io.pathsec.ui.daemon;

import javafx.concurrent.Task;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@link BackgroundWork} as JavaFX {@link Task}s on a small pool of daemon threads: Task delivers
 * success and failure on the FX thread, and daemon threads never keep the JVM alive after the
 * window closes.
 */
public final class FxBackgroundWork implements BackgroundWork, AutoCloseable {
    private final ExecutorService pool;

    public FxBackgroundWork() {
        AtomicInteger n = new AtomicInteger();
        // Four: a connect can take its time while the list, settings and SA refreshes go on.
        pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "pathsec-gui-work-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public <T> void run(DaemonCall<T> call, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                return call.call();
            }
        };
        task.setOnSucceeded(e -> onSuccess.accept(task.getValue()));
        task.setOnFailed(e -> onFailure.accept(task.getException()));
        if (pool.isShutdown()) {
            // The window has closed; an event or timer queued on the FX thread before that still
            // runs. Nobody is left to show the answer, so the call is not made.
            return;
        }
        try {
            pool.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            // closed between the check and here: as above
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
