package io.pathsec.engine.transport;

/**
 * A file descriptor watched by a transport's receive thread ({@link EspTransport#watchReadable}):
 * that thread runs the watcher's handler whenever the descriptor is readable.
 */
public interface ReadableWatch extends AutoCloseable {

    /**
     * Stops the watch and waits until the handler is not running and will not run again, so
     * the caller may close the descriptor afterwards. Idempotent; from any thread.
     */
    @Override
    void close();
}
