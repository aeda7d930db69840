package io.pathsec.engine.lab;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Delay on one interface with the netem queueing discipline. Loss is not done here but in
 * {@link NftRules#loss}, which works without sch_netem.
 */
final class LinkShaping {

    private LinkShaping() {
    }

    /**
     * Delays every packet leaving {@code dev} by {@code delay}; zero removes the qdisc.
     *
     * @throws IOException also when the kernel has no sch_netem, with a message that says so
     */
    static void setDelay(Netns netns, String dev, Duration delay) throws IOException {
        if (delay.isZero()) {
            // "del" fails when no netem is installed; only that case is not an error.
            ProcessResult result = netns.exec(ExternalCommand.DEFAULT_TIMEOUT, null,
                    List.of("tc", "qdisc", "del", "dev", dev, "root"));
            if (!result.succeeded() && !result.stderr().contains("No such file")
                    && !result.stderr().contains("Cannot delete qdisc with handle of zero")) {
                throw new IOException(result.describe());
            }
            return;
        }
        ProcessResult result = netns.exec(ExternalCommand.DEFAULT_TIMEOUT, null, List.of("tc", "qdisc", "replace",
                "dev", dev, "root", "netem", "delay", delay.toNanos() / 1000 + "us"));
        if (!result.succeeded()) {
            if (result.stderr().contains("qdisc kind is unknown")) {
                throw new IOException("delay needs the netem qdisc (sch_netem), which this kernel lacks: "
                        + result.describe());
            }
            throw new IOException(result.describe());
        }
    }

    /** Whether netem can be installed: tries a zero delay on {@code dev} and removes it again. */
    static boolean netemAvailable(Netns netns, String dev) throws IOException {
        ProcessResult result = netns.exec(ExternalCommand.DEFAULT_TIMEOUT, null,
                List.of("tc", "qdisc", "replace", "dev", dev, "root", "netem", "delay", "0us"));
        if (!result.succeeded()) {
            return false;
        }
        setDelay(netns, dev, Duration.ZERO);
        return true;
    }
}
