package io.pathsec.ui.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Lab controls in memory for view-model tests: records the calls, can be told to fail. */
final class FakeLabControls implements LabControls {
    final List<String> calls = new ArrayList<>();
    LabSettings settings = new LabSettings(1500, false, null, 0);
    LabTransferStatus transfer = LabTransferStatus.IDLE;
    String failWith;

    private void maybeFail() throws IOException {
        if (failWith != null) {
            throw new IOException(failWith + "\nnft: details on the next line");
        }
    }

    @Override
    public LabSettings settings() {
        return settings;
    }

    @Override
    public void setPathMtu(int mtu) throws IOException {
        calls.add("mtu " + mtu);
        maybeFail();
        settings = new LabSettings(mtu, settings.blackHole(), settings.mssClamp(), settings.lossPercent());
    }

    @Override
    public void setBlackHole(boolean on) throws IOException {
        calls.add("blackhole " + on);
        maybeFail();
        settings = new LabSettings(settings.pathMtu(), on, settings.mssClamp(), settings.lossPercent());
    }

    @Override
    public void setMssClamp(Integer mss) throws IOException {
        calls.add("mss " + mss);
        maybeFail();
        settings = new LabSettings(settings.pathMtu(), settings.blackHole(), mss, settings.lossPercent());
    }

    @Override
    public void setLoss(double percent) throws IOException {
        calls.add("loss " + percent);
        maybeFail();
        settings = new LabSettings(settings.pathMtu(), settings.blackHole(), settings.mssClamp(), percent);
    }

    @Override
    public void startTransfer() throws IOException {
        calls.add("start");
        maybeFail();
        transfer = new LabTransferStatus(true, 0, 1_000_000_000, null);
    }

    @Override
    public void stopTransfer() {
        calls.add("stop");
        transfer = new LabTransferStatus(false, transfer.bytesSent(), transfer.totalBytes(), "Stopped after "
                + transfer.bytesSent() + " bytes.");
    }

    @Override
    public LabTransferStatus transfer() {
        return transfer;
    }

    @Override
    public String describe() {
        return "E1 192.0.2.2 - E2 203.0.113.2";
    }
}
