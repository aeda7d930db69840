package io.pathsec.ui.daemon;

import java.util.Objects;

/**
 * A failure told to a person: a one-line summary in plain words, and the technical detail (the
 * daemon's own message) one click away.
 */
public record UserMessage(String summary, String detail) {
    public UserMessage {
        Objects.requireNonNull(summary, "summary");
        detail = detail == null ? "" : detail;
    }
}
