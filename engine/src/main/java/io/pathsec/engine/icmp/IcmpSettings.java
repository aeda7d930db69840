package io.pathsec.engine.icmp;

import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.ControlCodec;

import java.util.Properties;

/**
 * A tunnel's ICMP settings.
 *
 * @param handling         the option for errors that must cross but fit no SA (the draft's four)
 * @param unprotectedSide  RFC 4301 §6.1.1: which unauthenticated ICMP errors arriving on the
 *                         unprotected side are used at all
 * @param protectedSide    RFC 4301 §6.1.2: which protected-side ICMP errors may cross the tunnel
 *                         (or, arriving through it, reach the protected side)
 * @param logging          which decisions are logged and sent as events
 * @param probeOnDiscard   discard: ask the PMTU logic for a probe when a Frag Needed / Packet Too
 *                         Big is dropped (the draft §4 suggests it)
 * @param queueLimit       explicit ICMP SA: errors held until the SA is up, at most this many
 */
public record IcmpSettings(IcmpHandling handling, IcmpTypeRules unprotectedSide, IcmpTypeRules protectedSide,
                           IcmpLogging logging, boolean probeOnDiscard, int queueLimit) {
    /** System properties read by {@link #fromProperties}, e.g. {@code -Dpathsec.icmp.handling=implicit}. */
    public static final String PREFIX = "pathsec.icmp.";

    public IcmpSettings {
        if (handling == null || unprotectedSide == null || protectedSide == null || logging == null) {
            throw new IllegalArgumentException("every ICMP setting is needed");
        }
        if (queueLimit < 1 || queueLimit > 1024) {
            throw new IllegalArgumentException("queueLimit must be 1-1024, not " + queueLimit);
        }
    }

    public static IcmpSettings defaults() {
        return new IcmpSettings(IcmpHandling.DISCARD, IcmpTypeRules.DEFAULT, IcmpTypeRules.DEFAULT, IcmpLogging.ALL,
                true, 16);
    }

    public IcmpSettings withHandling(IcmpHandling h) {
        return new IcmpSettings(h, unprotectedSide, protectedSide, logging, probeOnDiscard, queueLimit);
    }

    /**
     * The defaults overridden by {@code pathsec.icmp.handling} ({@code discard}, {@code
     * explicit-sa}, {@code implicit}, {@code ike-relay}), {@code .unprotectedSide} and {@code
     * .protectedSide} (tables as in {@link IcmpTypeRules#parse}), {@code .logging} ({@link
     * IcmpLogging#parse}), {@code .probeOnDiscard}, {@code .queueLimit}.
     *
     * @throws IllegalArgumentException naming the property that is wrong
     */
    public static IcmpSettings fromProperties(Properties p) {
        IcmpSettings d = defaults();
        try {
            return new IcmpSettings(
                    p.containsKey(PREFIX + "handling") ? handling(p.getProperty(PREFIX + "handling")) : d.handling,
                    p.containsKey(PREFIX + "unprotectedSide")
                            ? IcmpTypeRules.parse(p.getProperty(PREFIX + "unprotectedSide")) : d.unprotectedSide,
                    p.containsKey(PREFIX + "protectedSide")
                            ? IcmpTypeRules.parse(p.getProperty(PREFIX + "protectedSide")) : d.protectedSide,
                    p.containsKey(PREFIX + "logging") ? IcmpLogging.parse(p.getProperty(PREFIX + "logging")) : d.logging,
                    Boolean.parseBoolean(p.getProperty(PREFIX + "probeOnDiscard", Boolean.toString(d.probeOnDiscard))),
                    Integer.parseInt(p.getProperty(PREFIX + "queueLimit", Integer.toString(d.queueLimit))));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + "*: " + e.getMessage(), e);
        }
    }

    /** Reads a wire name ({@code ike-relay}, or the older {@code relay-ike}). */
    public static IcmpHandling handling(String wireName) {
        IcmpHandling h = ControlCodec.gson().fromJson(com.google.gson.JsonParser.parseString(
                "\"" + wireName.trim().replace("\"", "") + "\""), IcmpHandling.class);
        if (h == null) {
            throw new IllegalArgumentException("handling '" + wireName
                    + "': expected discard, explicit-sa, implicit or ike-relay");
        }
        return h;
    }
}
