package io.pathsec.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.pathsec.engine.control.ControlDaemon;
import io.pathsec.engine.control.api.LogLine;

/**
 * Sends the daemon's log lines at INFO and above to event subscribers, as {@link LogLine}s.
 * Nothing logged carries a secret (the engine never logs keys), so nothing forwarded does.
 */
final class DaemonLogForwarder extends AppenderBase<ILoggingEvent> {
    /** Publishing must never log its way back here. */
    private static final ThreadLocal<Boolean> FORWARDING = ThreadLocal.withInitial(() -> false);

    private final ControlDaemon daemon;

    DaemonLogForwarder(ControlDaemon daemon) {
        this.daemon = daemon;
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (!e.getLevel().isGreaterOrEqual(Level.INFO) || FORWARDING.get()) {
            return;
        }
        FORWARDING.set(true);
        try {
            String logger = e.getLoggerName();
            String profile = e.getMDCPropertyMap().get(ControlDaemon.PROFILE_LOG_KEY);
            daemon.publishLog(new LogLine(profile, e.getTimeStamp(), e.getLevel().toString(),
                    logger.substring(logger.lastIndexOf('.') + 1), e.getFormattedMessage()));
        } finally {
            FORWARDING.set(false);
        }
    }
}
