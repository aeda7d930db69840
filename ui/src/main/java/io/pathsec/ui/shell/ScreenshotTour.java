package io.pathsec.ui.shell;

import io.pathsec.ui.state.TunnelSnapshot;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.function.BooleanSupplier;

/**
 * Renders each main view to {@code <dir>/<view>.png} with {@code scene.snapshot}, then exits: the
 * screenshots of the README come from the real views on a real daemon. Waits (bounded) for the
 * data a view shows before taking it, so no picture shows a half-loaded view.
 */
final class ScreenshotTour {
    /** How long to wait for data before photographing what there is. */
    private static final Duration DATA_WAIT = Duration.seconds(45);
    /** Throughput samples wanted on the dashboard: a chart with a shape, not a dot. */
    private static final int CHART_SAMPLES = 30;
    private static final Duration SETTLE = Duration.millis(600);

    private final Stage stage;
    private final MainWindowController main;
    private final AppModel model;
    private final Path dir;
    private final Deque<View> remaining = new ArrayDeque<>(Arrays.asList(View.values()));

    ScreenshotTour(Stage stage, MainWindowController main, AppModel model, Path dir) {
        this.stage = stage;
        this.main = main;
        this.model = model;
        this.dir = dir;
    }

    void start() {
        waitFor(() -> !model.profiles().profiles().isEmpty(), () -> {
            // The dashboard is most telling for a connected tunnel: select one if there is.
            model.store().tunnels().values().stream().filter(TunnelSnapshot::connected).findFirst()
                    .ifPresent(t -> model.store().selectedProfileProperty().set(t.profile()));
            model.profiles().edit(model.store().selectedProfileProperty().get());
            waitFor(this::chartHasShape, this::next);
        });
    }

    private boolean chartHasShape() {
        TunnelSnapshot t = model.store().selectedProperty().get();
        return t == null || !t.connected() || model.dashboard().throughput().size() >= CHART_SAMPLES;
    }

    private void next() {
        View view = remaining.poll();
        if (view == null) {
            validationShot();
            return;
        }
        main.select(view);
        after(SETTLE, () -> {
            write(view);
            next();
        });
    }

    /** One more picture: a new profile with typing mistakes, to show the inline messages. */
    private void validationShot() {
        main.select(View.PROFILES);
        var p = model.profiles();
        p.newProfile();
        var f = p.staticKey();
        f.name.valueProperty().set("home office");
        f.listenAddress.valueProperty().set("192.0.2.10");
        f.peerAddress.valueProperty().set("vpn.example.org");
        f.outSpi.valueProperty().set("0x10");
        f.outKey.valueProperty().set("5ec2e7");
        p.save(); // refused locally: nothing reaches the daemon
        after(SETTLE, () -> {
            write("profiles-validation");
            roadWarriorShot();
        });
    }

    /** The road-warrior form filled from a stored IKEv2 profile, when the daemon has one. */
    private void roadWarriorShot() {
        var p = model.profiles();
        var ikev2 = p.profiles().stream()
                .filter(s -> s.kind() == io.pathsec.engine.control.api.ProfileKind.IKEV2_PSK).findFirst();
        if (ikev2.isEmpty()) {
            hostToHostShot();
            return;
        }
        String name = ikev2.get().name();
        model.store().selectedProfileProperty().set(name);
        p.edit(name);
        waitFor(() -> name.equals(p.editingProperty().get()), () -> after(SETTLE, () -> {
            write("profiles-road-warrior");
            hostToHostShot();
        }));
    }

    /** The host-to-host form, half filled: what it asks for and what it derives. */
    private void hostToHostShot() {
        var p = model.profiles();
        p.newProfile();
        p.kindProperty().set(io.pathsec.ui.profiles.ProfileKindChoice.HOST_TO_HOST);
        var f = p.staticKey();
        f.name.valueProperty().set("backup-host");
        f.listenAddress.valueProperty().set("198.51.100.1");
        f.peerAddress.valueProperty().set("198.51.100.140");
        f.outSpi.valueProperty().set("0x3000");
        f.inSpi.valueProperty().set("0x4000");
        after(SETTLE, () -> {
            write("profiles-host-to-host");
            Platform.exit();
        });
    }

    private void write(View view) {
        write(view.id());
    }

    private void write(String name) {
        SceneSnapshot.write(stage.getScene(), dir, name);
    }

    /** Polls on the FX thread every 250 ms until the condition holds or DATA_WAIT passes. */
    static void waitFor(BooleanSupplier condition, Runnable then) {
        int polls = (int) (DATA_WAIT.toMillis() / 250);
        Timeline t = new Timeline();
        t.getKeyFrames().add(new KeyFrame(Duration.millis(250), e -> {
            if (condition.getAsBoolean()) {
                t.stop();
                then.run();
            }
        }));
        t.setCycleCount(polls);
        t.setOnFinished(e -> then.run()); // timed out: photograph what there is
        t.play();
    }

    static void after(Duration d, Runnable then) {
        Timeline t = new Timeline(new KeyFrame(d, e -> then.run()));
        t.play();
    }
}
