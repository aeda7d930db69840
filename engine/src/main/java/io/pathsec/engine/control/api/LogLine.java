package io.pathsec.engine.control.api;

/**
 * A line of the daemon's log (INFO and above). Logs never carry secrets, so neither do these.
 *
 * @param level {@code "INFO"}, {@code "WARN"} or {@code "ERROR"}
 * @param logger the logger's short name
 * @param profile the profile it is about when known, else null
 */
public record LogLine(String profile, long at, String level, String logger, String message)
        implements ControlEvent {
    @Override
    public EventType type() {
        return EventType.LOG;
    }
}
