package io.pathsec.ui.testsupport;

import io.pathsec.ui.daemon.BackgroundWork;
import io.pathsec.ui.daemon.DaemonCall;

import java.util.function.Consumer;

/** Runs daemon calls at once on the caller's thread: view-model tests need no toolkit. */
public final class DirectWork implements BackgroundWork {
    @Override
    public <T> void run(DaemonCall<T> call, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        T result;
        try {
            result = call.call();
        } catch (Exception e) {
            onFailure.accept(e);
            return;
        }
        onSuccess.accept(result);
    }
}
