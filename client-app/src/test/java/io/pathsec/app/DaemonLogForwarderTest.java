package io.pathsec.app;

import ch.qos.logback.classic.Logger;
import io.pathsec.engine.control.ControlDaemon;
import io.pathsec.engine.control.DaemonOptions;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.EventType;
import io.pathsec.engine.control.api.LogLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The daemon's log reaches subscribers as log events, INFO and above, tagged with the profile. */
@Timeout(30)
class DaemonLogForwarderTest {

    @Test
    void infoLinesAreForwardedWithTheirProfileAndDebugLinesAreNot() throws Exception {
        Path dir = Files.createTempDirectory("pathsec-log-");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        org.slf4j.Logger log = LoggerFactory.getLogger("io.pathsec.test.Forwarded");
        DaemonLogForwarder forwarder = null;
        try (ControlDaemon daemon = ControlDaemon.start(DaemonOptions.standard(dir.resolve("c.sock"), dir.resolve("state"), "t"));
             ControlClient client = ControlClient.connect(dir.resolve("c.sock"))) {
            forwarder = new DaemonLogForwarder(daemon);
            forwarder.setContext(root.getLoggerContext());
            forwarder.start();
            root.addAppender(forwarder);
            BlockingQueue<LogLine> lines = new LinkedBlockingQueue<>();
            client.subscribe(List.of(EventType.LOG), "office", e -> {
                if (e instanceof LogLine l && l.logger().equals("Forwarded")) {
                    lines.add(l);
                }
            });
            log.debug("not forwarded");
            MDC.put(ControlDaemon.PROFILE_LOG_KEY, "elsewhere");
            log.info("about another profile");
            MDC.put(ControlDaemon.PROFILE_LOG_KEY, "office");
            log.warn("about office");
            MDC.remove(ControlDaemon.PROFILE_LOG_KEY);
            log.info("about the daemon");
            LogLine first = lines.poll(10, TimeUnit.SECONDS);
            LogLine second = lines.poll(10, TimeUnit.SECONDS);
            assertNotNull(first);
            assertNotNull(second);
            assertEquals("office", first.profile());
            assertEquals("WARN", first.level());
            assertEquals("about office", first.message());
            assertEquals("about the daemon", second.message(), "daemon-wide lines reach every subscriber");
        } finally {
            if (forwarder != null) {
                root.detachAppender(forwarder);
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
