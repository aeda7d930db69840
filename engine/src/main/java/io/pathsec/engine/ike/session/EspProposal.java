package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.message.EncryptionAlgorithm;
import io.pathsec.engine.ike.message.IkeSaPayload;
import io.pathsec.engine.ike.message.IkeSaPayload.Proposal;
import io.pathsec.engine.ike.message.IkeSaPayload.Transform;
import io.pathsec.engine.ike.message.IntegrityAlgorithm;
import io.pathsec.engine.ike.message.ProtocolId;
import io.pathsec.engine.ike.message.TransformType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ESP side of a CHILD_SA negotiation (RFC 7296 §3.3): which of the data path's transforms
 * we offer, how each maps to IKEv2 transform IDs, and the ESN choice (Transform Type 5).
 */
public final class EspProposal {
    /** ESN transform IDs (§3.3.2): 0 = no extended sequence numbers, 1 = extended. */
    static final int NO_ESN = 0;
    static final int ESN = 1;

    /** What was agreed for one CHILD_SA. */
    public record Chosen(EspTransform transform, boolean extendedSequenceNumbers) {
    }

    private EspProposal() {
    }

    static Transform encryptionOf(EspTransform t) {
        return switch (t) {
            case AES_GCM_16_128 -> IkeSuite.encryptionTransform(EncryptionAlgorithm.ENCR_AES_GCM_16, 128);
            case AES_GCM_16_256 -> IkeSuite.encryptionTransform(EncryptionAlgorithm.ENCR_AES_GCM_16, 256);
            case CHACHA20_POLY1305 -> IkeSuite.encryptionTransform(EncryptionAlgorithm.ENCR_CHACHA20_POLY1305, 0);
            case AES_CBC_128_HMAC_SHA2_256_128 -> IkeSuite.encryptionTransform(EncryptionAlgorithm.ENCR_AES_CBC, 128);
            case AES_CBC_256_HMAC_SHA2_256_128 -> IkeSuite.encryptionTransform(EncryptionAlgorithm.ENCR_AES_CBC, 256);
        };
    }

    static Optional<Transform> integrityOf(EspTransform t) {
        return switch (t) {
            case AES_CBC_128_HMAC_SHA2_256_128, AES_CBC_256_HMAC_SHA2_256_128 ->
                    Optional.of(Transform.of(TransformType.INTEG, IntegrityAlgorithm.AUTH_HMAC_SHA2_256_128.value()));
            default -> Optional.empty();
        };
    }

    /** One proposal per transform, each offering both ESN choices, our SPI in every one (§3.3.1). */
    static IkeSaPayload offer(List<EspTransform> transforms, int inboundSpi) {
        return offer(transforms, inboundSpi, null);
    }

    /** As above; with {@code pfs} every proposal also asks for that Diffie-Hellman group (§1.3.1). */
    static IkeSaPayload offer(List<EspTransform> transforms, int inboundSpi, io.pathsec.engine.ike.message.DhGroup pfs) {
        byte[] spi = ByteBuffer.allocate(4).putInt(inboundSpi).array();
        List<Proposal> proposals = new ArrayList<>();
        for (int i = 0; i < transforms.size(); i++) {
            EspTransform t = transforms.get(i);
            List<Transform> list = new ArrayList<>();
            list.add(encryptionOf(t));
            integrityOf(t).ifPresent(list::add);
            list.add(Transform.of(TransformType.ESN, NO_ESN));
            list.add(Transform.of(TransformType.ESN, ESN));
            if (pfs != null) {
                list.add(Transform.of(TransformType.DH, pfs.value()));
            }
            proposals.add(new Proposal(i + 1, ProtocolId.ESP, spi, list));
        }
        return new IkeSaPayload(proposals);
    }

    /** The responder's answer: one ESP proposal matching one of our transforms; its SPI is the peer's. */
    static Optional<Chosen> acceptAnswer(List<EspTransform> offered, IkeSaPayload answer) {
        if (answer.proposals().size() != 1 || answer.proposals().get(0).protocolId() != ProtocolId.ESP) {
            return Optional.empty();
        }
        Proposal p = answer.proposals().get(0);
        List<Transform> esn = p.transformsOf(TransformType.ESN);
        if (esn.size() > 1 || p.transformsOf(TransformType.ENCR).size() != 1) {
            return Optional.empty();
        }
        return matching(offered, p, true).map(t -> new Chosen(t, !esn.isEmpty() && esn.get(0).id() == ESN));
    }

    /** Responder: the first of the peer's ESP proposals we support, in the peer's order (§2.7). */
    static Optional<Selected> select(List<EspTransform> ours, IkeSaPayload offer) {
        for (Proposal p : offer.proposals()) {
            if (p.protocolId() != ProtocolId.ESP || p.spi().length != 4) {
                continue;
            }
            Optional<EspTransform> t = matching(ours, p, false);
            if (t.isPresent()) {
                List<Integer> esn = p.transformsOf(TransformType.ESN).stream().map(Transform::id).toList();
                // Prefer no ESN, like strongSwan's default proposals; an ESN-only offer gets ESN.
                boolean useEsn = !esn.isEmpty() && !esn.contains(NO_ESN);
                return Optional.of(new Selected(new Chosen(t.get(), useEsn), ByteBuffer.wrap(p.spi()).getInt(), p.number()));
            }
        }
        return Optional.empty();
    }

    /** A responder's choice: the agreement, the initiator's SPI and the proposal number it answers. */
    record Selected(Chosen chosen, int peerSpi, int proposalNumber) {
        IkeSaPayload answer(int ourSpi) {
            return answer(ourSpi, null);
        }

        /** The answer naming {@code pfs} as the DH transform when the exchange carried KE payloads. */
        IkeSaPayload answer(int ourSpi, io.pathsec.engine.ike.message.DhGroup pfs) {
            List<Transform> list = new ArrayList<>();
            list.add(encryptionOf(chosen.transform()));
            integrityOf(chosen.transform()).ifPresent(list::add);
            list.add(Transform.of(TransformType.ESN, chosen.extendedSequenceNumbers() ? ESN : NO_ESN));
            if (pfs != null) {
                list.add(Transform.of(TransformType.DH, pfs.value()));
            }
            return new IkeSaPayload(List.of(new Proposal(proposalNumber, ProtocolId.ESP,
                    ByteBuffer.allocate(4).putInt(ourSpi).array(), list)));
        }
    }

    private static Optional<EspTransform> matching(List<EspTransform> candidates, Proposal p, boolean exact) {
        for (EspTransform t : candidates) {
            Transform encr = encryptionOf(t);
            boolean encrOk = p.transformsOf(TransformType.ENCR).stream()
                    .anyMatch(x -> x.id() == encr.id() && x.keyLength() == encr.keyLength() && !x.hasUnrecognizedAttribute());
            List<Transform> integ = p.transformsOf(TransformType.INTEG).stream().filter(x -> x.id() != 0).toList();
            Optional<Transform> ourInteg = integrityOf(t);
            boolean integOk = ourInteg.isEmpty() ? integ.isEmpty()
                    : integ.stream().anyMatch(x -> x.id() == ourInteg.get().id()) && (!exact || integ.size() == 1);
            if (encrOk && integOk) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
