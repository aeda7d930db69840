package io.pathsec.engine.datapath;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TurnaroundHintTest {

    @Test
    void triesEveryTimeWhileTurnaroundsFindAnswers() {
        TurnaroundHint hint = new TurnaroundHint();
        for (int i = 0; i < 100; i++) {
            assertTrue(hint.worthTrying(), "try " + i);
            hint.found(1);
        }
    }

    @Test
    void afterEmptyTurnaroundsInARowTriesOnlyEverySixteenthUntilOneFindsAnAnswer() {
        TurnaroundHint hint = new TurnaroundHint();
        for (int i = 0; i < TurnaroundHint.GIVE_UP_AFTER; i++) {
            assertTrue(hint.worthTrying());
            hint.found(0);
        }
        int tried = 0;
        for (int i = 0; i < 10 * TurnaroundHint.RETRY_EVERY; i++) {
            if (hint.worthTrying()) {
                tried++;
                hint.found(0);
            }
        }
        assertEquals(10, tried, "one try in " + TurnaroundHint.RETRY_EVERY);
        int untilTried = 1;
        while (!hint.worthTrying()) {
            untilTried++;
        }
        assertTrue(untilTried <= TurnaroundHint.RETRY_EVERY);
        hint.found(2); // an answer again: back to trying every time
        for (int i = 0; i < 20; i++) {
            assertTrue(hint.worthTrying());
            hint.found(1);
        }
    }

    @Test
    void oneEmptyTurnaroundAmongAnswersChangesNothing() {
        TurnaroundHint hint = new TurnaroundHint();
        for (int i = 0; i < 50; i++) {
            assertTrue(hint.worthTrying());
            hint.found(i % 2);
        }
    }
}
