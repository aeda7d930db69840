package io.pathsec.ui.daemon;

import java.util.function.Consumer;

/**
 * Runs daemon calls away from the UI thread and hands the outcome back on it. View-models take
 * this instead of starting threads, so tests can run the same code synchronously.
 */
public interface BackgroundWork {
    /**
     * @param onSuccess runs on the UI thread with the call's result
     * @param onFailure runs on the UI thread with what went wrong
     */
    <T> void run(DaemonCall<T> call, Consumer<T> onSuccess, Consumer<Throwable> onFailure);
}
