package io.pathsec.engine.icmp;

/**
 * The {@code icmp} object of a service's JSON profile (an IKE gateway's or client's), as Gson
 * reads it; every member is optional and overrides what it names (docs/icmp.md, Settings):
 * <pre>
 *   "icmp": {"handling": "implicit",
 *            "unprotectedSide": "4/3/4=accept, 4/5=reject, *=reject",
 *            "protectedSide": "4/3=accept, 4/11=accept, *=reject",
 *            "logging": "all", "probeOnDiscard": true, "queueLimit": 16}
 * </pre>
 */
public final class IcmpProfileFile {
    String handling;
    String unprotectedSide;
    String protectedSide;
    String logging;
    Boolean probeOnDiscard;
    Integer queueLimit;

    /**
     * {@code base} (the defaults, or the {@code pathsec.icmp.*} properties) with what this file
     * sets; {@code file} may be null (nothing set).
     *
     * @throws IllegalArgumentException naming the member that is wrong
     */
    public static IcmpSettings apply(IcmpProfileFile file, IcmpSettings base) {
        if (file == null) {
            return base;
        }
        try {
            return new IcmpSettings(
                    file.handling != null ? IcmpSettings.handling(file.handling) : base.handling(),
                    file.unprotectedSide != null ? IcmpTypeRules.parse(file.unprotectedSide) : base.unprotectedSide(),
                    file.protectedSide != null ? IcmpTypeRules.parse(file.protectedSide) : base.protectedSide(),
                    file.logging != null ? IcmpLogging.parse(file.logging) : base.logging(),
                    file.probeOnDiscard != null ? file.probeOnDiscard : base.probeOnDiscard(),
                    file.queueLimit != null ? file.queueLimit : base.queueLimit());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("icmp: " + e.getMessage(), e);
        }
    }
}
