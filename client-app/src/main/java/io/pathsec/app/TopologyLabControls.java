package io.pathsec.app;

import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.ui.dashboard.Units;
import io.pathsec.ui.lab.LabControls;
import io.pathsec.ui.lab.LabSettings;
import io.pathsec.ui.lab.LabTransferStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The lab panel's controls on the real topology: this process is root and owns the namespaces,
 * so each change runs {@code ip} or {@code nft} in R1's and R2's namespaces at once. The panel
 * calls from background threads, one change at a time per control but several controls at
 * once, hence the lock.
 */
final class TopologyLabControls implements LabControls {
    private static final Duration OUTCOME_WAIT = Duration.ofSeconds(10);

    private final LabTopology lab;
    private final LabFlow flow;
    private final long transferBytes;
    private final Path work;
    private final String description;
    private LabTransfer transfer;
    private LabTransferStatus last = LabTransferStatus.IDLE;

    TopologyLabControls(LabTopology lab, LabFlow flow, long transferBytes, Path work, String description) {
        this.lab = lab;
        this.flow = flow;
        this.transferBytes = transferBytes;
        this.work = work;
        this.description = description;
    }

    @Override
    public LabSettings settings() {
        LabOptions o = lab.options();
        // The panel's one black-hole switch is both halves of a PMTUD black hole (see setBlackHole).
        return new LabSettings(o.pathMtu(), o.icmpBlackHole() && o.dropFragments(), o.mssClamp(), o.lossPercent());
    }

    @Override
    public void setPathMtu(int mtu) throws IOException {
        lab.setPathMtu(mtu);
    }

    /**
     * Both halves of a black hole: without the ICMP error a packet with DF set vanishes, and
     * without the fragments so does one without DF, which R1 would otherwise fragment (RFC 2923
     * §2.1 describes the first half; firewalls dropping fragments the second).
     */
    @Override
    public void setBlackHole(boolean on) throws IOException {
        lab.setIcmpBlackHole(on);
        lab.setDropFragments(on);
    }

    @Override
    public void setMssClamp(Integer mss) throws IOException {
        lab.setMssClamp(mss);
    }

    @Override
    public void setLoss(double percent) throws IOException {
        lab.setLoss(percent);
    }

    @Override
    public synchronized void startTransfer() throws IOException {
        if (transfer != null && !transfer.isFinished()) {
            return;
        }
        closeTransfer();
        transfer = LabTransfer.start(lab, flow.from(), flow.to(), flow.target(), transferBytes, work);
        last = new LabTransferStatus(true, 0, transferBytes, null);
    }

    @Override
    public synchronized void stopTransfer() {
        if (transfer == null) {
            return;
        }
        long sent = transfer.bytesSent();
        boolean wasRunning = !transfer.isFinished();
        closeTransfer();
        if (wasRunning) {
            last = new LabTransferStatus(false, sent, transferBytes,
                    "Stopped after " + Units.bytes(sent) + " of " + Units.bytes(transferBytes) + ".");
        }
    }

    @Override
    public synchronized LabTransferStatus transfer() {
        if (transfer == null) {
            return last;
        }
        if (!transfer.isFinished()) {
            last = new LabTransferStatus(true, transfer.bytesSent(), transferBytes, null);
            return last;
        }
        last = new LabTransferStatus(false, transfer.bytesSent(), transferBytes, outcome());
        closeTransfer();
        return last;
    }

    /** The finished transfer's verdict in words: both ends' SHA-256 compared. */
    private String outcome() {
        try {
            LabTransfer.Outcome o = transfer.await(OUTCOME_WAIT);
            if (o.verified()) {
                return String.format(Locale.ROOT, "%s verified in %.1f s: SHA-256 equal on %s and %s.",
                        Units.bytes(o.received().bytes()), o.received().seconds(), flow.from(), flow.to());
            }
            return "FAILED: " + flow.from() + " sent " + describe(o.sent()) + ", " + flow.to() + " received "
                    + describe(o.received()) + ".";
        } catch (IOException e) {
            return "FAILED: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Interrupted while reading the transfer's result.";
        }
    }

    private static String describe(io.pathsec.engine.lab.TransferEndpoint.Result r) {
        return r == null ? "nothing it could report" : Units.bytes(r.bytes());
    }

    private void closeTransfer() {
        if (transfer != null) {
            transfer.close();
            transfer = null;
        }
    }

    @Override
    public String describe() {
        return description;
    }
}
