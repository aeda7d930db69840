package io.pathsec.engine.control.api;

/** The answer to requests that return nothing else ({@code unsubscribe}). */
public record Ack(boolean ok) {
    public static final Ack OK = new Ack(true);
}
