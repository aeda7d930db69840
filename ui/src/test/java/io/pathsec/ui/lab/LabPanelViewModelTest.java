package io.pathsec.ui.lab;

import io.pathsec.ui.testsupport.DirectWork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabPanelViewModelTest {
    private final FakeLabControls lab = new FakeLabControls();
    private long now;
    private LabPanelViewModel model;

    @BeforeEach
    void load() {
        model = new LabPanelViewModel(lab, new DirectWork(), () -> now);
        model.load();
    }

    @Test
    void showsWhatIsInForceInWords() {
        assertEquals("E1 192.0.2.2 - E2 203.0.113.2", model.titleProperty().get());
        assertEquals(1500, model.settingsProperty().get().pathMtu());
        assertTrue(model.mtuStatus().textProperty().get().startsWith("1500 bytes cross R1—R2; R1 answers"));
        assertEquals("Off: ICMP errors and fragments pass.", model.blackHoleStatus().textProperty().get());
        assertEquals("No loss on R1 → R2.", model.lossStatus().textProperty().get());
    }

    @Test
    void theMtuAndTheBlackHoleChangeTheLabAndTheWords() {
        model.setPathMtu(1400);
        model.setBlackHole(true);
        assertEquals(List.of("mtu 1400", "blackhole true"), lab.calls);
        assertEquals(new LabSettings(1400, true, null, 0), model.settingsProperty().get());
        assertEquals("1400 bytes cross R1—R2; larger packets vanish without a word.",
                model.mtuStatus().textProperty().get());
        assertTrue(model.blackHoleStatus().textProperty().get().startsWith("On: R1 and R2 drop"));
    }

    @Test
    void askingForWhatIsInForceDoesNothing() {
        model.setPathMtu(1500);
        model.setBlackHole(false);
        model.setMssClamp(false);
        model.setLoss(0);
        assertEquals(List.of(), lab.calls, "showing a setting in a control must not set it again");
    }

    @Test
    void theClampFollowsTheLinkMtu() {
        model.setMssClamp(true);
        assertEquals(1460, model.settingsProperty().get().mssClamp());
        model.setPathMtu(1280);
        assertEquals(1240, model.settingsProperty().get().mssClamp(), "a router clamps to its own link");
        assertEquals("On: R1 lowers the MSS of TCP SYNs to 1240 bytes.", model.mssStatus().textProperty().get());
        model.setMssClamp(false);
        assertNull(model.settingsProperty().get().mssClamp());
    }

    @Test
    void aFailedChangeSaysWhyAndTheControlSnapsBack() {
        lab.failWith = "nft: Operation not permitted";
        model.setLoss(5);
        assertTrue(model.lossStatus().failedProperty().get());
        assertEquals("Could not set the loss to 5 %: nft: Operation not permitted",
                model.lossStatus().textProperty().get());
        assertEquals(0.0, model.settingsProperty().get().lossPercent(), "what is in force, not what was asked");
        assertFalse(model.busyProperty().get());
        assertFalse(model.mtuStatus().failedProperty().get(), "other controls are not blamed");

        lab.failWith = null;
        model.setLoss(5);
        assertFalse(model.lossStatus().failedProperty().get(), "the next success clears the failure");
        assertEquals("R1 drops 5 % of its packets towards R2 at random.", model.lossStatus().textProperty().get());
    }

    @Test
    void theTransferShowsItsRateOverAWindow() {
        model.toggleTransfer();
        assertTrue(model.transferProperty().get().running());
        // Progress arrives about once a second: 0, 25 MB, 25 MB, 50 MB, 50 MB over four seconds.
        long[] sent = {0, 25_000_000, 25_000_000, 50_000_000, 50_000_000};
        for (int i = 0; i < sent.length; i++) {
            now = i * 1_000_000_000L;
            lab.transfer = new LabTransferStatus(true, sent[i], 1_000_000_000, null);
            model.tick();
        }
        // Over the last three seconds (1 s … 4 s): 25 MB, i.e. 66.7 Mbit/s; never "0" or "200".
        assertEquals("E1 → E2: 50.0 MB of 1.0 GB, 66.7 Mbit/s.", model.transferStatus().textProperty().get());
        model.toggleTransfer();
        assertFalse(model.transferProperty().get().running());
        assertEquals("Stopped after 50000000 bytes.", model.transferStatus().textProperty().get());
    }

    @Test
    void aTransferThatCannotStartSaysSo() {
        lab.failWith = "transfer receiver in E2 did not start listening";
        model.toggleTransfer();
        assertTrue(model.transferStatus().failedProperty().get());
        assertEquals("Could not start the transfer: transfer receiver in E2 did not start listening",
                model.transferStatus().textProperty().get());
        assertFalse(model.transferProperty().get().running());
    }
}
