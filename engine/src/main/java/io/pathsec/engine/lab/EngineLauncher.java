package io.pathsec.engine.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts a Java main class of this installation in another process
 * (inside a lab namespace): the same Java binary and class path as the running JVM, plus the
 * JVM options in {@code PATHSEC_ENGINE_JAVA_OPTS} (for example a JFR recording to profile the
 * engines during a lab run), and this JVM's {@code pathsec.pmtu.*} and {@code pathsec.icmp.*}
 * system properties (so a test can give the lab engines, say, a short PMTU raise timer or an
 * ICMP option).
 */
final class EngineLauncher {
    private static final String PMTU_PROPERTIES = "pathsec.pmtu.";
    private static final String ICMP_PROPERTIES = "pathsec.icmp.";

    private EngineLauncher() {
    }

    static List<String> javaCommand(Class<?> mainClass, String... args) {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseParallelGC", "-Xss512k",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
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
}
