package io.pathsec.ui.testsupport;

import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextInputControl;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Waiting and reading for GUI tests: every read of a node happens on the FX thread, and every
 * wait is a bounded poll (no sleeps), failing with what it waited for.
 */
public final class Fx {
    public static final long WAIT_SECONDS = 15;
    private final FxRobot robot;

    public Fx(FxRobot robot) {
        this.robot = robot;
    }

    /** Runs on the FX thread and returns the result. */
    public static <T> T on(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("FX call failed", e);
        }
    }

    public static void run(Runnable r) {
        on(() -> {
            r.run();
            return null;
        });
    }

    /** Polls a condition (evaluated on the FX thread) until it holds, for at most WAIT_SECONDS. */
    public static void eventually(String what, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> Boolean.TRUE.equals(on(condition)));
        } catch (TimeoutException e) {
            fail("timed out after " + WAIT_SECONDS + " s waiting for: " + what);
        }
    }

    /** Polls a condition evaluated off the FX thread (daemon requests). */
    public static void eventuallyOff(String what, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            fail("timed out after " + WAIT_SECONDS + " s waiting for: " + what);
        }
    }

    /** The node of that id in the window's current scene that is showing (views not shown are detached). */
    public Node shown(String query) {
        return robot.lookup(query).match(Fx::showing).query();
    }

    public boolean isShown(String query) {
        return on(() -> robot.lookup(query).match(Fx::showing).tryQuery().isPresent());
    }

    /** In a scene, and neither it nor any ancestor hidden. */
    private static boolean showing(Node n) {
        if (n.getScene() == null) {
            return false;
        }
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return true;
    }

    public String text(String query) {
        return on(() -> {
            Node n = robot.lookup(query).match(x -> x.getScene() != null).tryQuery().orElse(null);
            if (n instanceof Labeled l) {
                return l.getText() == null ? "" : l.getText();
            }
            if (n instanceof TextInputControl t) {
                return t.getText();
            }
            return "";
        });
    }

    public void setText(String query, String text) {
        run(() -> ((TextInputControl) shown(query)).setText(text));
    }
}
