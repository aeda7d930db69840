package io.pathsec.engine.control.api;

/** Parameters of {@code settings.set}; the answer is {@link ProfileSettingsResult}. */
public record SettingsUpdate(String name, ProfileSettings settings) {
}
