package io.pathsec.ui.lab;

import io.pathsec.ui.daemon.BackgroundWork;
import io.pathsec.ui.daemon.DaemonCall;
import io.pathsec.ui.dashboard.Units;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The lab panel of {@code pathsec lab}: changes the R1—R2 path (MTU, the ICMP black hole, MSS
 * clamping, loss) and runs a transfer from E1 to E2, so the user watches the tunnel detect and
 * recover in the other views. Every change is read back from the lab afterwards, so what the
 * panel shows is what is in force, and each control says its state or its failure in words.
 */
public final class LabPanelViewModel {
    /** Ethernet, a typical tunnel-in-tunnel path, and the IPv6 minimum (RFC 8200 §5). */
    public static final List<Integer> MTU_CHOICES = List.of(1500, 1400, 1280);
    public static final List<Integer> LOSS_CHOICES = List.of(0, 1, 2, 5, 10, 25);
    /** IPv4 and TCP headers without options: the MSS a router clamps to for its link MTU. */
    static final int TCP_IPV4_HEADERS = 40;

    private final LabControls lab;
    private final BackgroundWork work;
    private final LongSupplier nanoTime;
    private final TransferRate rate = new TransferRate();

    private final ReadOnlyObjectWrapper<LabSettings> settings = new ReadOnlyObjectWrapper<>(this, "settings");
    private final ReadOnlyObjectWrapper<LabTransferStatus> transfer =
            new ReadOnlyObjectWrapper<>(this, "transfer", LabTransferStatus.IDLE);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "");
    private final ControlStatus mtuStatus = new ControlStatus();
    private final ControlStatus blackHoleStatus = new ControlStatus();
    private final ControlStatus mssStatus = new ControlStatus();
    private final ControlStatus lossStatus = new ControlStatus();
    private final ControlStatus transferStatus = new ControlStatus();
    private boolean polling;

    private record Loaded(String title, LabSettings settings) {
    }

    public LabPanelViewModel(LabControls lab, BackgroundWork work, LongSupplier nanoTime) {
        this.lab = Objects.requireNonNull(lab, "lab");
        this.work = work;
        this.nanoTime = nanoTime;
        transferStatus.show("Not running. Start one to load the tunnel.");
    }

    public LabPanelViewModel(LabControls lab, BackgroundWork work) {
        this(lab, work, System::nanoTime);
    }

    /** Reads the lab's settings and transfer. */
    public void load() {
        work.run(() -> new Loaded(lab.describe(), lab.settings()), r -> {
            title.set(r.title());
            show(r.settings());
        }, e -> mtuStatus.failed("Cannot read the lab's settings", e));
        tick();
    }

    public ReadOnlyObjectProperty<LabSettings> settingsProperty() {
        return settings.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<LabTransferStatus> transferProperty() {
        return transfer.getReadOnlyProperty();
    }

    /** A change is being made; the controls wait. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ControlStatus mtuStatus() {
        return mtuStatus;
    }

    public ControlStatus blackHoleStatus() {
        return blackHoleStatus;
    }

    public ControlStatus mssStatus() {
        return mssStatus;
    }

    public ControlStatus lossStatus() {
        return lossStatus;
    }

    public ControlStatus transferStatus() {
        return transferStatus;
    }

    // ---- changes ------------------------------------------------------------------------------

    /** Sets the R1—R2 MTU; a clamp that is on follows it (a router clamps to its own link). */
    public void setPathMtu(int mtu) {
        LabSettings now = settings.get();
        if (now != null && now.pathMtu() == mtu) {
            return;
        }
        change(mtuStatus, "Could not set the path MTU to " + mtu + " bytes", () -> {
            lab.setPathMtu(mtu);
            if (lab.settings().mssClamp() != null) {
                lab.setMssClamp(mtu - TCP_IPV4_HEADERS);
            }
            return lab.settings();
        });
    }

    public void setBlackHole(boolean on) {
        LabSettings now = settings.get();
        if (now != null && now.blackHole() == on) {
            return;
        }
        change(blackHoleStatus, on ? "Could not open the black hole" : "Could not close the black hole", () -> {
            lab.setBlackHole(on);
            return lab.settings();
        });
    }

    /** On: R1 clamps the MSS of SYNs to what its R1—R2 link carries (MTU − 40). */
    public void setMssClamp(boolean on) {
        LabSettings now = settings.get();
        if (now != null && (now.mssClamp() != null) == on) {
            return;
        }
        change(mssStatus, on ? "Could not clamp the MSS" : "Could not stop clamping the MSS", () -> {
            lab.setMssClamp(on ? lab.settings().pathMtu() - TCP_IPV4_HEADERS : null);
            return lab.settings();
        });
    }

    public void setLoss(int percent) {
        LabSettings now = settings.get();
        if (now != null && Math.round(now.lossPercent()) == percent) {
            return;
        }
        change(lossStatus, "Could not set the loss to " + percent + " %", () -> {
            lab.setLoss(percent);
            return lab.settings();
        });
    }

    /** Starts a transfer, or stops the one running. */
    public void toggleTransfer() {
        boolean running = transfer.get().running();
        busy.set(true);
        work.run(() -> {
            if (running) {
                lab.stopTransfer();
            } else {
                lab.startTransfer();
            }
            return lab.transfer();
        }, t -> {
            busy.set(false);
            rate.reset();
            transferStatus.succeeded(describe(t));
            showTransfer(t);
        }, e -> {
            busy.set(false);
            transferStatus.failed(running ? "Could not stop the transfer" : "Could not start the transfer", e);
        });
    }

    /** Reads the transfer's progress; the panel calls it every second. */
    public void tick() {
        if (polling) {
            return; // the last reading has not come back: do not pile up calls
        }
        polling = true;
        work.run(lab::transfer, t -> {
            polling = false;
            showTransfer(t);
        }, e -> {
            polling = false;
            transferStatus.failed("Cannot read the transfer", e);
        });
    }

    private void change(ControlStatus status, String failure, DaemonCall<LabSettings> call) {
        busy.set(true);
        work.run(call, s -> {
            busy.set(false);
            status.succeeded("");
            show(s);
        }, e -> {
            busy.set(false);
            status.failed(failure, e);
            // What is in force after a failed change: the control snaps back to it.
            work.run(lab::settings, this::show, ignored -> { });
        });
    }

    // ---- words --------------------------------------------------------------------------------

    private void show(LabSettings s) {
        settings.set(s);
        mtuStatus.show(s.pathMtu() + " bytes cross R1—R2; " + (s.blackHole()
                ? "larger packets vanish without a word."
                : "R1 answers larger ones with ICMP \"fragmentation needed\"."));
        blackHoleStatus.show(s.blackHole()
                ? "On: R1 and R2 drop ICMP \"too big\" errors and IP fragments."
                : "Off: ICMP errors and fragments pass.");
        mssStatus.show(s.mssClamp() == null
                ? "Off: TCP SYNs keep their MSS."
                : "On: R1 lowers the MSS of TCP SYNs to " + s.mssClamp() + " bytes.");
        lossStatus.show(s.lossPercent() == 0 ? "No loss on R1 → R2."
                : String.format(Locale.ROOT, "R1 drops %.0f %% of its packets towards R2 at random.",
                        s.lossPercent()));
    }

    private void showTransfer(LabTransferStatus t) {
        transfer.set(t);
        if (t.running()) {
            rate.add(nanoTime.getAsLong(), t.bytesSent());
        }
        transferStatus.show(describe(t));
    }

    private String describe(LabTransferStatus t) {
        if (t.running()) {
            return "E1 → E2: " + Units.bytes(t.bytesSent()) + " of " + Units.bytes(t.totalBytes()) + ", "
                    + Units.bitsPerSecond(rate.bitsPerSecond()) + ".";
        }
        if (t.outcome() != null) {
            return t.outcome();
        }
        return "Not running. Start one to load the tunnel.";
    }
}
