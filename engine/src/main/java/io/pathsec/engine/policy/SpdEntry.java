package io.pathsec.engine.policy;

import java.util.Objects;

/**
 * One SPD entry (RFC 4301 §4.4.1.2): a name, its place in the ordered SPD, the selectors, the
 * action, and for PROTECT the name of the SA binding whose outbound SA carries matching traffic.
 *
 * @param priority lower comes first; entries of equal priority keep the order they were added
 * @param saBinding non-null exactly when {@code action} is PROTECT
 */
public record SpdEntry(String name, int priority, Selector selector, PolicyAction action,
                       String saBinding) {
    public SpdEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(action, "action");
        if (name.isBlank()) {
            throw new IllegalArgumentException("SPD entry name must not be blank");
        }
        if ((action == PolicyAction.PROTECT) != (saBinding != null)) {
            throw new IllegalArgumentException("SPD entry " + name + ": an SA binding is required"
                    + " for PROTECT and allowed only there");
        }
    }

    public static SpdEntry protect(String name, int priority, Selector selector, String saBinding) {
        return new SpdEntry(name, priority, selector, PolicyAction.PROTECT, saBinding);
    }

    public static SpdEntry bypass(String name, int priority, Selector selector) {
        return new SpdEntry(name, priority, selector, PolicyAction.BYPASS, null);
    }

    public static SpdEntry discard(String name, int priority, Selector selector) {
        return new SpdEntry(name, priority, selector, PolicyAction.DISCARD, null);
    }
}
