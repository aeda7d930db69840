package io.pathsec.engine.ike.auth;

import io.pathsec.engine.ike.message.CertEncoding;
import io.pathsec.engine.ike.message.HashAlgorithm;
import io.pathsec.engine.ike.message.IkeCertReqPayload;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.NotifyType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the peer told us about the AUTH it can check: the hash algorithms of its
 * SIGNATURE_HASH_ALGORITHMS notify (RFC 7427 §4, in IKE_SA_INIT) and the CAs of its CERTREQ
 * payloads (RFC 7296 §3.7; the responder's are in IKE_SA_INIT, the initiator's in IKE_AUTH).
 *
 * @param signatureHashes empty when the peer sent no SIGNATURE_HASH_ALGORITHMS: it may not
 *                        understand AUTH method 14
 * @param requestedCas    SHA-1 hashes of the SubjectPublicKeyInfo of the CAs it trusts
 * @param certificateRequested whether it sent any X.509 CERTREQ
 */
public record PeerAuthHints(Set<HashAlgorithm> signatureHashes, List<byte[]> requestedCas,
                            boolean certificateRequested) {
    public static final PeerAuthHints NONE = new PeerAuthHints(Set.of(), List.of(), false);

    public PeerAuthHints {
        signatureHashes = signatureHashes.isEmpty() ? Set.of() : Set.copyOf(signatureHashes);
        requestedCas = List.copyOf(requestedCas);
    }

    /** These hints plus what {@code message} adds. */
    public PeerAuthHints with(IkeMessage message) {
        Set<HashAlgorithm> hashes = signatureHashes.isEmpty() ? EnumSet.noneOf(HashAlgorithm.class)
                : EnumSet.copyOf(signatureHashes);
        for (IkeNotifyPayload n : message.all(IkeNotifyPayload.class)) {
            if (n.notifyType() == NotifyType.SIGNATURE_HASH_ALGORITHMS.value()) {
                for (int id : n.hashAlgorithmIds()) {
                    Optional<HashAlgorithm> h = HashAlgorithm.fromValue(id);
                    h.ifPresent(hashes::add); // unknown identifiers are ignored (§4)
                }
            }
        }
        List<byte[]> cas = new ArrayList<>(requestedCas);
        boolean requested = certificateRequested;
        for (IkeCertReqPayload r : message.all(IkeCertReqPayload.class)) {
            if (r.encoding() == CertEncoding.X509_SIGNATURE.value()) {
                requested = true;
                cas.addAll(r.caKeyHashes());
            }
        }
        return new PeerAuthHints(hashes, cas, requested);
    }
}
