package io.pathsec.engine.ike.auth;

import io.pathsec.engine.ike.crypto.Prf;
import io.pathsec.engine.ike.message.CertEncoding;
import io.pathsec.engine.ike.message.HashAlgorithm;
import io.pathsec.engine.ike.message.IkeAuthPayload;
import io.pathsec.engine.ike.message.IkeCertPayload;
import io.pathsec.engine.ike.message.IkeCertReqPayload;
import io.pathsec.engine.ike.message.IkeIdPayload;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.IkePayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * X.509 certificate authentication: we sign with our key and send our certificate (CERT
 * encoding 4, §3.6), the peer's AUTH must verify with a certificate that chains to our trust
 * store and names the peer's ID.
 *
 * <p>We announce SHA2-256/384/512 in SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4) and sign with method
 * 14 when the peer did the same; otherwise with the classic method of our key (RSA 1, ECDSA
 * 9/10/11). Our certificate goes out whether or not the peer sent a CERTREQ: a peer that asked
 * for other CAs still gets it, with a note in the log.
 */
public final class CertificateAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthenticator.class);
    /** What we can verify in method 14 (RFC 7427 §4); SHA-1 is not offered (RFC 8247 §3.2). */
    static final List<HashAlgorithm> HASHES = List.of(HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384,
            HashAlgorithm.SHA2_512);

    private final LocalCredential own;
    private final TrustStore trust;
    private final Clock clock;

    public CertificateAuthenticator(LocalCredential own, TrustStore trust, Clock clock) {
        this.own = Objects.requireNonNull(own, "own");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public CertificateAuthenticator(LocalCredential own, TrustStore trust) {
        this(own, trust, Clock.systemUTC());
    }

    public LocalCredential credential() {
        return own;
    }

    @Override
    public List<IkePayload> initPayloads() {
        return List.of(IkeNotifyPayload.signatureHashAlgorithms(HASHES));
    }

    @Override
    public List<IkePayload> certificateRequests() {
        ByteArrayOutputStream authority = new ByteArrayOutputStream();
        for (byte[] h : trust.caKeyHashes()) {
            authority.writeBytes(h);
        }
        return List.of(new IkeCertReqPayload(CertEncoding.X509_SIGNATURE.value(), authority.toByteArray()));
    }

    @Override
    public Proof prove(Prf prf, byte[] signedOctets, PeerAuthHints peer) {
        if (peer.certificateRequested() && !peer.requestedCas().isEmpty() && !askedForOurIssuer(peer)) {
            LOG.info("the peer asks for certificates of other CAs than ours ({}); sending ours anyway",
                    CertificateIdentity.describe(own.certificate()));
        }
        SignatureAuthData.Signed signed = SignatureAuthData.sign(own.privateKey(), own.certificate().getPublicKey(),
                SignatureScheme.choose(own.certificate().getPublicKey(), peer.signatureHashes()), signedOctets);
        List<IkeCertPayload> certs = new ArrayList<>();
        for (X509Certificate c : own.chain()) {
            if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) || certs.isEmpty()) {
                certs.add(IkeCertPayload.x509(encoded(c))); // a self-signed root the peer must have anyway stays home
            }
        }
        return new Proof(certs, new IkeAuthPayload(signed.method().value(), signed.data()));
    }

    /** Whether a CERTREQ names the key of a CA in our chain or the trusted CA that issued our certificate. */
    private boolean askedForOurIssuer(PeerAuthHints peer) {
        Set<String> ours = new HashSet<>();
        for (X509Certificate c : own.chain().subList(1, own.chain().size())) {
            ours.add(Arrays.toString(TrustStore.keyHash(c)));
        }
        X509Certificate issuer = trust.issuerOf(own.certificate());
        if (issuer != null) {
            ours.add(Arrays.toString(TrustStore.keyHash(issuer)));
        }
        return peer.requestedCas().stream().anyMatch(h -> ours.contains(Arrays.toString(h)));
    }

    @Override
    public String verify(Prf prf, byte[] signedOctets, IkeMessage peerMessage, IkeIdPayload peerId, String peerRole)
            throws AuthenticationFailure {
        List<X509Certificate> certs = new ArrayList<>();
        for (IkeCertPayload p : peerMessage.all(IkeCertPayload.class)) {
            if (p.encoding() == CertEncoding.X509_SIGNATURE.value()) {
                certs.add(parse(p.certificateData(), peerRole));
            }
        }
        if (certs.isEmpty()) {
            throw new AuthenticationFailure(AuthenticationFailure.Kind.CERTIFICATE_NOT_TRUSTED, "the " + peerRole
                    + " sent no X.509 certificate (CERT encoding 4); is it set up for a pre-shared key?");
        }
        // §3.6: the first certificate holds the key that verifies AUTH.
        X509Certificate endEntity = certs.get(0);
        trust.validate(endEntity, certs.subList(1, certs.size()), clock.instant(), peerRole);
        if (!CertificateIdentity.names(endEntity, peerId)) {
            throw new AuthenticationFailure(AuthenticationFailure.Kind.IDENTITY_MISMATCH, "the " + peerRole
                    + " identified as " + peerId.describe() + ", but its certificate names "
                    + CertificateIdentity.describe(endEntity));
        }
        IkeAuthPayload auth = peerMessage.first(IkeAuthPayload.class).orElseThrow();
        String algorithm = SignatureAuthData.verify(auth.authMethod(), auth.authenticationData(),
                endEntity.getPublicKey(), signedOctets);
        LOG.info("the {}'s AUTH ({}) verifies with {}", peerRole, algorithm, CertificateIdentity.describe(endEntity));
        return CertificateIdentity.describe(endEntity);
    }

    private static X509Certificate parse(byte[] der, String peerRole) throws AuthenticationFailure {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new AuthenticationFailure(AuthenticationFailure.Kind.CERTIFICATE_NOT_TRUSTED, "the " + peerRole
                    + " sent a CERT payload that is not a DER X.509 certificate");
        }
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate parsed from PEM encodes again", e);
        }
    }

    @Override
    public String rejectedByPeer(String peerRole) {
        return "authentication failed: the " + peerRole + " rejected our certificate or AUTH (does it trust our CA,"
                + " and accept our identity?)";
    }

    @Override
    public String toString() {
        return "certificate " + CertificateIdentity.describe(own.certificate()) + ", trusting " + trust;
    }
}
