package io.pathsec.engine.lab;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Namespace names of the lab: {@code ps<pid>-<run>-<node>}, for example {@code ps4711-0-g1}.
 * The JVM's PID makes them unique across processes and lets a later run recognise the leftovers
 * of a JVM that died without closing; the run number separates topologies within one JVM.
 */
final class LabNames {

    private static final Pattern NAME = Pattern.compile("ps(\\d{1,10})-(\\d{1,6})-(e1|g1|r1|r2|g2|e2)");

    private LabNames() {
    }

    static String namespace(long pid, int run, LabNode node) {
        return "ps" + pid + "-" + run + "-" + node.shortName();
    }

    /** The PID of the JVM that created a lab namespace, or empty if the name is not a lab name. */
    static OptionalLong ownerPid(String namespace) {
        Matcher matcher = NAME.matcher(namespace);
        return matcher.matches() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /** Name of the veth end in {@code node} that leads to {@code towards}, e.g. {@code to-r1}. */
    static String interfaceName(LabNode towards) {
        return "to-" + towards.shortName();
    }
}
