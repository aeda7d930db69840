package io.pathsec.engine.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line that starts a Java main class of this installation in another process
 * (inside a lab namespace): the same Java binary and class path as the running JVM, the
 * engine's JVM options ({@link #ENGINE_OPTIONS}), plus the
 * JVM options in {@code PATHSEC_ENGINE_JAVA_OPTS} (for example a JFR recording to profile the
 * engines during a lab run), and this JVM's {@code pathsec.pmtu.*} and {@code pathsec.icmp.*}
 * system properties (so a test can give the lab engines, say, a short PMTU raise timer or an
 * ICMP option).
 */
final class EngineLauncher {
    private static final String PMTU_PROPERTIES = "pathsec.pmtu.";
    private static final String ICMP_PROPERTIES = "pathsec.icmp.";
    /**
     * The JVM options every engine runs with, one per line: the one list that the launcher
     * script, the package's launcher and the benchmarks read too. The JIT's thresholds at a
     * tenth: the code an idle tunnel runs per packet is called a few times per packet and
     * otherwise reaches C2 only minutes after start on two cores (BENCHMARKS.md).
     */
    static final String ENGINE_OPTIONS = "/io/pathsec/engine/engine-jvm.options";

    private EngineLauncher() {
    }

    static List<String> javaCommand(Class<?> mainClass, String... args) {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseParallelGC", "-Xss512k"));
        cmd.addAll(engineOptions());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(List.of(args));
        List<String> forwarded = new ArrayList<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(PMTU_PROPERTIES) || name.startsWith(ICMP_PROPERTIES)) {
                forwarded.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        cmd.addAll(1, forwarded);
        String extra = System.getenv("PATHSEC_ENGINE_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(1, List.of(extra.trim().split("\\s+")));
        }
        return cmd;
    }

    /** {@link #ENGINE_OPTIONS}, read from the class path. */
    static List<String> engineOptions() {
        try (InputStream in = EngineLauncher.class.getResourceAsStream(ENGINE_OPTIONS)) {
            if (in == null) {
                throw new IllegalStateException(ENGINE_OPTIONS + " is missing from the class path");
            }
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R"))
                    .map(String::trim).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
