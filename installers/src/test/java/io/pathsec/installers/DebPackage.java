package io.pathsec.installers;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The .deb built by the installers profile, read with dpkg-deb. */
record DebPackage(Path file) {

    /** The package, or the test is skipped: it is only built with -Pinstallers. */
    static DebPackage built() {
        String dir = System.getProperty("pathsec.deb.dir", "");
        Assumptions.assumeFalse(dir.isBlank(),
                "no .deb to test: build it with mvn -B -Pinstallers verify (this run did not use the profile)");
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            List<Path> debs = files.filter(f -> f.toString().endsWith(".deb")).toList();
            if (debs.size() != 1) {
                throw new AssertionError("expected one .deb in " + dir + ", found " + debs);
            }
            return new DebPackage(debs.get(0));
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A control field, e.g. Version. */
    String field(String name) {
        return Command.run("dpkg-deb", "-f", file.toString(), name).ok().trim();
    }

    /** The data part's paths, as dpkg-deb -c lists them ("./opt/pathsec/..."), without types and owners. */
    List<String> paths() {
        return Command.run("dpkg-deb", "-c", file.toString()).ok().lines()
                .map(l -> l.substring(l.indexOf("./")))
                .map(p -> p.contains(" -> ") ? p.substring(0, p.indexOf(" -> ")) : p)
                .toList();
    }

    /** Unpacks the control part (control file, maintainer scripts) into {@code dir}. */
    void extractControl(Path dir) {
        Command.run("dpkg-deb", "-e", file.toString(), dir.toString()).ok();
    }

    /** Unpacks the files as they would be installed, below {@code root}. */
    void extractFiles(Path root) {
        Command.run("dpkg-deb", "-x", file.toString(), root.toString()).ok();
    }
}
