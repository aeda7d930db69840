package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.EncryptionAlgorithm;
import io.pathsec.engine.ike.message.IkeSaPayload;
import io.pathsec.engine.ike.message.IkeSaPayload.Proposal;
import io.pathsec.engine.ike.message.IkeSaPayload.Transform;
import io.pathsec.engine.ike.message.IntegrityAlgorithm;
import io.pathsec.engine.ike.message.PrfAlgorithm;
import io.pathsec.engine.ike.message.ProtocolId;
import io.pathsec.engine.ike.message.TransformType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One IKE SA proposal we offer or accept (RFC 7296 §3.3): an encryption algorithm, an integrity
 * algorithm (NONE with AEAD, §3.3.3), a PRF, and the Diffie-Hellman groups in order of preference.
 * The first group is the one our first KE payload uses.
 */
public record IkeSuite(EncryptionAlgorithm encryption, int keyLengthBits, IntegrityAlgorithm integrity,
                       PrfAlgorithm prf, List<DhGroup> dhGroups) {

    /** strongSwan's and our default: aes256gcm16-prfsha256 with x25519, ecp256, ecp384, modp2048. */
    public static final IkeSuite DEFAULT = new IkeSuite(EncryptionAlgorithm.ENCR_AES_GCM_16, 256,
            IntegrityAlgorithm.NONE, PrfAlgorithm.PRF_HMAC_SHA2_256,
            List.of(DhGroup.CURVE25519, DhGroup.ECP_256, DhGroup.ECP_384, DhGroup.MODP_2048));

    public IkeSuite {
        dhGroups = List.copyOf(dhGroups);
        if (dhGroups.isEmpty()) {
            throw new IllegalArgumentException("an IKE proposal needs at least one DH group");
        }
    }

    /** The one transform of each type the responder chose (§2.7), i.e. the negotiated IKE SA. */
    public record Chosen(EncryptionAlgorithm encryption, int keyLengthBits, IntegrityAlgorithm integrity,
                         PrfAlgorithm prf, DhGroup dhGroup) {
        boolean aead() {
            return integrity == IntegrityAlgorithm.NONE;
        }

        Proposal toProposal(int number) {
            List<Transform> t = new ArrayList<>();
            t.add(encryptionTransform(encryption, keyLengthBits));
            t.add(Transform.of(TransformType.PRF, prf.value()));
            if (!aead()) {
                t.add(Transform.of(TransformType.INTEG, integrity.value()));
            }
            t.add(Transform.of(TransformType.DH, dhGroup.value()));
            return new Proposal(number, ProtocolId.IKE, new byte[0], t);
        }

        @Override
        public String toString() {
            return encryption + (keyLengthBits != 0 ? "-" + keyLengthBits : "") + "/" + prf
                    + (aead() ? "" : "/" + integrity) + "/" + dhGroup;
        }
    }

    Proposal toProposal(int number) {
        List<Transform> t = new ArrayList<>();
        t.add(encryptionTransform(encryption, keyLengthBits));
        t.add(Transform.of(TransformType.PRF, prf.value()));
        if (integrity != IntegrityAlgorithm.NONE) {
            t.add(Transform.of(TransformType.INTEG, integrity.value()));
        }
        for (DhGroup g : dhGroups) {
            t.add(Transform.of(TransformType.DH, g.value()));
        }
        return new Proposal(number, ProtocolId.IKE, new byte[0], t);
    }

    static Transform encryptionTransform(EncryptionAlgorithm encryption, int keyLengthBits) {
        return encryption == EncryptionAlgorithm.ENCR_CHACHA20_POLY1305
                ? Transform.of(TransformType.ENCR, encryption.value())
                : Transform.withKeyLength(TransformType.ENCR, encryption.value(), keyLengthBits);
    }

    /** The SA payload of an IKE_SA_INIT request offering {@code suites}. */
    static IkeSaPayload offer(List<IkeSuite> suites) {
        List<Proposal> proposals = new ArrayList<>();
        for (int i = 0; i < suites.size(); i++) {
            proposals.add(suites.get(i).toProposal(i + 1));
        }
        return new IkeSaPayload(proposals);
    }

    /**
     * Initiator side: the responder's answer must hold one proposal with exactly one transform of
     * each type, all from one of our offers (§2.7, §3.3.6); anything else is refused.
     */
    static Optional<Chosen> acceptAnswer(List<IkeSuite> offered, IkeSaPayload answer) {
        if (answer.proposals().size() != 1) {
            return Optional.empty();
        }
        Proposal p = answer.proposals().get(0);
        if (p.protocolId() != ProtocolId.IKE) {
            return Optional.empty();
        }
        for (IkeSuite suite : offered) {
            Optional<Chosen> chosen = suite.match(p, true);
            if (chosen.isPresent()) {
                return chosen;
            }
        }
        return Optional.empty();
    }

    /**
     * Responder side: the first of the peer's proposals that one of our suites accepts, in the
     * peer's order of preference (§2.7), with the DH group the peer's KE payload uses when we
     * accept it, else our most preferred common group (then INVALID_KE_PAYLOAD asks for it).
     */
    static Optional<Chosen> select(List<IkeSuite> ours, IkeSaPayload offer, int peerKeGroup) {
        for (Proposal p : offer.proposals()) {
            if (p.protocolId() != ProtocolId.IKE) {
                continue;
            }
            for (IkeSuite suite : ours) {
                Optional<Chosen> chosen = suite.match(p, false);
                if (chosen.isEmpty()) {
                    continue;
                }
                Chosen c = chosen.get();
                List<Integer> offeredGroups = p.transformsOf(TransformType.DH).stream().map(Transform::id).toList();
                if (offeredGroups.contains(peerKeGroup) && suite.dhGroups.stream().anyMatch(g -> g.value() == peerKeGroup)) {
                    c = new Chosen(c.encryption, c.keyLengthBits, c.integrity, c.prf,
                            DhGroup.fromValue(peerKeGroup).orElseThrow());
                }
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether proposal {@code p} fits this suite. With {@code exact} (an answer) every transform
     * type must appear exactly once; otherwise (an offer) we pick our first preference among the
     * peer's transforms of each type.
     */
    private Optional<Chosen> match(Proposal p, boolean exact) {
        if (p.transforms().stream().anyMatch(Transform::hasUnrecognizedAttribute)) {
            return Optional.empty(); // §3.3.6: such a transform must not be selected; keep it simple
        }
        List<Transform> encr = p.transformsOf(TransformType.ENCR);
        List<Transform> prfs = p.transformsOf(TransformType.PRF);
        List<Transform> integ = p.transformsOf(TransformType.INTEG);
        List<Transform> dh = p.transformsOf(TransformType.DH);
        if (exact && (encr.size() != 1 || prfs.size() != 1 || dh.size() != 1 || integ.size() > 1)) {
            return Optional.empty();
        }
        Transform ourEncr = encryptionTransform(encryption, keyLengthBits);
        boolean encrOk = encr.stream().anyMatch(t -> t.id() == ourEncr.id() && t.keyLength() == ourEncr.keyLength());
        boolean prfOk = prfs.stream().anyMatch(t -> t.id() == prf.value());
        boolean integOk = integrity == IntegrityAlgorithm.NONE
                ? integ.isEmpty() || integ.stream().anyMatch(t -> t.id() == 0)
                : integ.stream().anyMatch(t -> t.id() == integrity.value());
        Optional<DhGroup> group = dhGroups.stream()
                .filter(g -> dh.stream().anyMatch(t -> t.id() == g.value())).findFirst();
        if (!encrOk || !prfOk || !integOk || group.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Chosen(encryption, keyLengthBits, integrity, prf, group.get()));
    }
}
