package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.crypto.IkeKeyMaterial;
import io.pathsec.engine.ike.crypto.Prf;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.policy.IpsecMode;

import java.util.Arrays;
import java.util.List;

/**
 * A negotiated CHILD_SA pair: SPIs, transform, ESN, the key of each direction, and the traffic
 * selectors from our point of view (local = ours, remote = the peer's). The keys are never part
 * of {@link #toString()}.
 *
 * @param inboundSpi  the SPI we chose; the peer sends with it
 * @param outboundSpi the SPI the peer chose; we send with it
 * @param mode        tunnel, or transport when both sides agreed with USE_TRANSPORT_MODE (RFC 7296 §1.3.1)
 */
public record ChildSa(int inboundSpi, int outboundSpi, EspProposal.Chosen esp, byte[] inboundKey, byte[] outboundKey,
                      List<TrafficSelector> localTs, List<TrafficSelector> remoteTs, IpsecMode mode) {
    public ChildSa {
        inboundKey = inboundKey.clone();
        outboundKey = outboundKey.clone();
        localTs = List.copyOf(localTs);
        remoteTs = List.copyOf(remoteTs);
        java.util.Objects.requireNonNull(mode, "mode");
    }

    /** A tunnel-mode CHILD_SA, the default of RFC 7296 §1.3.1. */
    public ChildSa(int inboundSpi, int outboundSpi, EspProposal.Chosen esp, byte[] inboundKey, byte[] outboundKey,
                   List<TrafficSelector> localTs, List<TrafficSelector> remoteTs) {
        this(inboundSpi, outboundSpi, esp, inboundKey, outboundKey, localTs, remoteTs, IpsecMode.TUNNEL);
    }

    /** The same SA in {@code newMode}. */
    /** Whether this is an explicit ICMP SA (draft-ietf-ipsec-icmp-options §5): ICMP-only selectors. */
    public boolean carriesOnlyIcmp() {
        return IcmpChildSa.icmpOnly(localTs) && IcmpChildSa.icmpOnly(remoteTs);
    }

    ChildSa withMode(IpsecMode newMode) {
        return new ChildSa(inboundSpi, outboundSpi, esp, inboundKey, outboundKey, localTs, remoteTs, newMode);
    }

    /**
     * KEYMAT = prf+(SK_d, Ni | Nr) (RFC 7296 §2.17): first the initiator-to-responder key (cipher
     * key then salt, or cipher key then integrity key), then the responder-to-initiator key.
     */
    static ChildSa derive(Prf prf, byte[] skD, byte[] ni, byte[] nr, boolean weAreInitiator, int inboundSpi,
                          int outboundSpi, EspProposal.Chosen esp, List<TrafficSelector> localTs,
                          List<TrafficSelector> remoteTs) {
        return derive(prf, skD, null, ni, nr, weAreInitiator, inboundSpi, outboundSpi, esp, localTs, remoteTs);
    }

    /**
     * As above; with a CREATE_CHILD_SA that carried KE payloads (PFS) KEYMAT also covers the new
     * g^ir (§2.17). {@code ni} and {@code nr} are those of the exchange that created this SA.
     *
     * @param sharedSecret the new g^ir, or null without PFS
     */
    static ChildSa derive(Prf prf, byte[] skD, byte[] sharedSecret, byte[] ni, byte[] nr, boolean weAreInitiator,
                          int inboundSpi, int outboundSpi, EspProposal.Chosen esp, List<TrafficSelector> localTs,
                          List<TrafficSelector> remoteTs) {
        EspTransform t = esp.transform();
        int n = t.keyMaterialLength();
        byte[] keymat = IkeKeyMaterial.childKeymat(prf, skD, sharedSecret, ni, nr, 2 * n);
        byte[] i2r = Arrays.copyOfRange(keymat, 0, n);
        byte[] r2i = Arrays.copyOfRange(keymat, n, 2 * n);
        Arrays.fill(keymat, (byte) 0);
        return new ChildSa(inboundSpi, outboundSpi, esp, weAreInitiator ? r2i : i2r, weAreInitiator ? i2r : r2i,
                localTs, remoteTs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChildSa c && c.inboundSpi == inboundSpi && c.outboundSpi == outboundSpi;
    }

    @Override
    public int hashCode() {
        return inboundSpi * 31 + outboundSpi;
    }

    @Override
    public String toString() {
        return String.format("CHILD_SA in 0x%08x out 0x%08x %s%s %s %s === %s", inboundSpi, outboundSpi,
                esp.transform().ikeName(), esp.extendedSequenceNumbers() ? "-esn" : "", mode.name().toLowerCase(),
                TrafficSelectors.describe(localTs), TrafficSelectors.describe(remoteTs));
    }
}
