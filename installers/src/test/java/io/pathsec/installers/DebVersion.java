package io.pathsec.installers;

import java.util.Locale;

/**
 * The Debian version of a Maven version, as build-deb.sh computes it: the first "-" becomes
 * "~", so 0.1.0-SNAPSHOT is 0.1.0~snapshot and sorts before the release 0.1.0.
 */
final class DebVersion {
    private DebVersion() {
    }

    static String of(String mavenVersion) {
        return mavenVersion.replaceFirst("-", "~").toLowerCase(Locale.ROOT);
    }
}
