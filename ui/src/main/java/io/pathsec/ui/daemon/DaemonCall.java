package io.pathsec.ui.daemon;

/** One blocking piece of work against the daemon, run off the FX thread. */
@FunctionalInterface
public interface DaemonCall<T> {
    T call() throws Exception;
}
