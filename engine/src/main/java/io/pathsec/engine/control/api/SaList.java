package io.pathsec.engine.control.api;

import java.util.List;

/** The answer to {@code sa}. */
public record SaList(String profile, List<SaInfo> sas) {
}
