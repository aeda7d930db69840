package io.pathsec.engine.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Background processes a topology started, ended by PID when the topology closes: SIGTERM, a
 * bounded wait, then SIGKILL. Never by name, so nothing outside the lab is touched.
 */
final class OwnedProcesses {

    private final List<Process> processes = new ArrayList<>();

    synchronized void add(Process process) {
        processes.add(process);
    }

    /** Ends every tracked process still alive, each given {@code grace} to exit on SIGTERM. */
    void endAll(Duration grace) {
        List<Process> toEnd;
        synchronized (this) {
            toEnd = new ArrayList<>(processes);
            processes.clear();
        }
        // SIGTERM to all first, so they shut down in parallel rather than one grace period each.
        toEnd.forEach(Process::destroy);
        for (Process process : toEnd) {
            end(process.toHandle(), grace);
        }
    }

    /** Ends one process by PID: SIGTERM, wait up to {@code grace}, then SIGKILL and wait again. */
    static void end(ProcessHandle handle, Duration grace) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        if (awaitExit(handle, grace)) {
            return;
        }
        handle.destroyForcibly();
        awaitExit(handle, Duration.ofSeconds(2));
    }

    /** Ends the process with this PID if it still exists. */
    static void endPid(long pid, Duration grace) {
        ProcessHandle.of(pid).ifPresent(handle -> end(handle, grace));
    }

    private static boolean awaitExit(ProcessHandle handle, Duration limit) {
        try {
            handle.onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }
}
