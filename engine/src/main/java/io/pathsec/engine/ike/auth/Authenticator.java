package io.pathsec.engine.ike.auth;

import io.pathsec.engine.ike.crypto.Prf;
import io.pathsec.engine.ike.message.IkeAuthPayload;
import io.pathsec.engine.ike.message.IkeCertPayload;
import io.pathsec.engine.ike.message.IkeIdPayload;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkePayload;

import java.util.List;

/**
 * How one end of an IKE SA proves itself in IKE_AUTH and checks the other end (RFC 7296 §2.15):
 * with a pre-shared key ({@link PskAuthenticator}) or an X.509 certificate and a trust store
 * ({@link CertificateAuthenticator}). The session computes the signed octets (RealMessage |
 * Nonce | prf(SK_p, RestOfIDPayload)); everything that depends on the method lives here.
 */
public interface Authenticator {

    /** Our proof for IKE_AUTH: CERT payloads (none for a PSK), then the AUTH payload. */
    record Proof(List<IkeCertPayload> certificates, IkeAuthPayload auth) {
        public Proof {
            certificates = List.copyOf(certificates);
        }
    }

    /** Payloads for our IKE_SA_INIT message, request or answer (SIGNATURE_HASH_ALGORITHMS, RFC 7427 §4). */
    List<IkePayload> initPayloads();

    /**
     * CERTREQ payloads naming the CAs we trust (§3.7): the initiator sends them in IKE_AUTH, the
     * responder in its IKE_SA_INIT answer. None for a PSK.
     */
    List<IkePayload> certificateRequests();

    /**
     * @param prf          the IKE SA's PRF (a PSK's MIC uses it, §2.15)
     * @param signedOctets our InitiatorSignedOctets or ResponderSignedOctets
     */
    Proof prove(Prf prf, byte[] signedOctets, PeerAuthHints peer);

    /**
     * Checks the peer's AUTH, and its certificate where there is one, against its ID payload.
     *
     * @param peerMessage the IKE_AUTH message holding the peer's CERT and AUTH payloads
     * @param peerRole    "gateway" or "client", for the words of the failure
     * @return the peer in words (its certificate subject, or its identity for a PSK)
     */
    String verify(Prf prf, byte[] signedOctets, IkeMessage peerMessage, IkeIdPayload peerId, String peerRole)
            throws AuthenticationFailure;

    /** What the user hears when the peer answered our IKE_AUTH with AUTHENTICATION_FAILED. */
    String rejectedByPeer(String peerRole);
}
