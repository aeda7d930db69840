package io.pathsec.ui.icmp;

import io.pathsec.engine.control.api.IcmpHandling;

import java.util.Arrays;

/**
 * The four ways of draft-ietf-ipsec-icmp-options (RFC 4301 §6) to carry ICMP errors that match no
 * SA, with the sentence the view shows for each.
 */
public enum IcmpOption {
    DISCARD(IcmpHandling.DISCARD, "Discard",
            "Drop such ICMP errors; the sender never hears of them, and a path-MTU probe may be started instead."),
    EXPLICIT_SA(IcmpHandling.EXPLICIT_SA, "Explicit ICMP SA",
            "Negotiate a separate SA just for ICMP, at least as strong as the strongest data SA."),
    IMPLICIT(IcmpHandling.IMPLICIT, "Implicit",
            "Send the error through the SA of the packet it quotes; the peer checks the quoted header against it."),
    RELAY_IKE(IcmpHandling.RELAY_IKE, "Relay via IKE",
            "Carry the error inside an IKE notification; the other gateway checks it and re-sends it to the host.");

    private final IcmpHandling handling;
    private final String title;
    private final String explanation;

    IcmpOption(IcmpHandling handling, String title, String explanation) {
        this.handling = handling;
        this.title = title;
        this.explanation = explanation;
    }

    public IcmpHandling handling() {
        return handling;
    }

    public String title() {
        return title;
    }

    public String explanation() {
        return explanation;
    }

    public static IcmpOption of(IcmpHandling h) {
        return Arrays.stream(values()).filter(o -> o.handling == h).findFirst().orElse(DISCARD);
    }
}
