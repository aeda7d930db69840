package io.pathsec.engine.ike.auth;

import io.pathsec.engine.ike.crypto.Prf;
import io.pathsec.engine.ike.crypto.PskAuthentication;
import io.pathsec.engine.ike.message.AuthMethod;
import io.pathsec.engine.ike.message.IkeAuthPayload;
import io.pathsec.engine.ike.message.IkeIdPayload;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkePayload;

import java.util.List;
import java.util.Objects;

/** Shared Key Message Integrity Code (RFC 7296 §2.15, AUTH method 2) on both sides. */
public final class PskAuthenticator implements Authenticator {
    private final byte[] psk;

    public PskAuthenticator(byte[] psk) {
        this.psk = Objects.requireNonNull(psk, "psk").clone();
        if (psk.length == 0) {
            throw new IllegalArgumentException("the pre-shared key must not be empty");
        }
    }

    @Override
    public List<IkePayload> initPayloads() {
        return List.of();
    }

    @Override
    public List<IkePayload> certificateRequests() {
        return List.of();
    }

    @Override
    public Proof prove(Prf prf, byte[] signedOctets, PeerAuthHints peer) {
        return new Proof(List.of(), new IkeAuthPayload(AuthMethod.SHARED_KEY_MIC.value(),
                PskAuthentication.authData(prf, psk, signedOctets)));
    }

    @Override
    public String verify(Prf prf, byte[] signedOctets, IkeMessage peerMessage, IkeIdPayload peerId, String peerRole)
            throws AuthenticationFailure {
        IkeAuthPayload auth = peerMessage.first(IkeAuthPayload.class).orElseThrow();
        if (auth.authMethod() != AuthMethod.SHARED_KEY_MIC.value()) {
            throw new AuthenticationFailure(AuthenticationFailure.Kind.PSK_MISMATCH, "the " + peerRole
                    + " authenticates with AUTH method " + auth.authMethod() + ", this profile with a pre-shared key");
        }
        if (!PskAuthentication.verify(prf, psk, signedOctets, auth.authenticationData())) {
            throw new AuthenticationFailure(AuthenticationFailure.Kind.PSK_MISMATCH, "the " + peerRole
                    + "'s AUTH does not verify with our PSK");
        }
        return "PSK";
    }

    @Override
    public String rejectedByPeer(String peerRole) {
        return "authentication failed: the " + peerRole + " rejected our PSK/AUTH";
    }

    @Override
    public String toString() {
        return "psk hidden";
    }
}
