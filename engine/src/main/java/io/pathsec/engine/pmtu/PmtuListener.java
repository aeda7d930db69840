package io.pathsec.engine.pmtu;

/** Told when an SA's PLPMTU (and so its effective inner MTU) changes; called outside any lock. */
@FunctionalInterface
public interface PmtuListener {
    void plpmtuChanged(PmtuState state, int oldEffectiveMtu, int newEffectiveMtu);
}
