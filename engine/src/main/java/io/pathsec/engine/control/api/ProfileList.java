package io.pathsec.engine.control.api;

import java.util.List;

/** The answer to {@code profiles.list}, sorted by name. */
public record ProfileList(List<ProfileSummary> profiles) {
}
