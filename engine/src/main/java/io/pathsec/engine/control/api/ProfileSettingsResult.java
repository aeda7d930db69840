package io.pathsec.engine.control.api;

/** The answer to {@code settings.get} and {@code settings.set}: the stored, complete settings. */
public record ProfileSettingsResult(String name, ProfileSettings settings) {
}
