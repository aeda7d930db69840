package io.pathsec.engine.control;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.EncryptionAlgorithm;
import io.pathsec.engine.ike.message.IntegrityAlgorithm;
import io.pathsec.engine.ike.message.PrfAlgorithm;
import io.pathsec.engine.ike.session.IkeSuite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * strongSwan's proposal keywords (swanctl.conf {@code proposals} and {@code esp_proposals},
 * the {@code .sswan} file's {@code ike-proposal} and {@code esp-proposal}) for what PathSec's
 * IKEv2 and ESP implement. Each method throws {@link IllegalArgumentException} naming the
 * keyword it does not know and the ones it does.
 */
final class IkeProposals {
    private record Encryption(EncryptionAlgorithm algorithm, int keyBits) {
    }

    private static final Map<String, Encryption> ENCRYPTION = Map.of(
            "aes128gcm16", new Encryption(EncryptionAlgorithm.ENCR_AES_GCM_16, 128),
            "aes256gcm16", new Encryption(EncryptionAlgorithm.ENCR_AES_GCM_16, 256),
            "chacha20poly1305", new Encryption(EncryptionAlgorithm.ENCR_CHACHA20_POLY1305, 0),
            "aes128", new Encryption(EncryptionAlgorithm.ENCR_AES_CBC, 128),
            "aes256", new Encryption(EncryptionAlgorithm.ENCR_AES_CBC, 256));
    private static final Map<String, IntegrityAlgorithm> INTEGRITY = Map.of(
            "sha256", IntegrityAlgorithm.AUTH_HMAC_SHA2_256_128,
            "sha384", IntegrityAlgorithm.AUTH_HMAC_SHA2_384_192,
            "sha512", IntegrityAlgorithm.AUTH_HMAC_SHA2_512_256);
    private static final Map<String, PrfAlgorithm> PRF = Map.of(
            "prfsha256", PrfAlgorithm.PRF_HMAC_SHA2_256,
            "prfsha384", PrfAlgorithm.PRF_HMAC_SHA2_384,
            "prfsha512", PrfAlgorithm.PRF_HMAC_SHA2_512);
    private static final Map<String, DhGroup> GROUPS = Map.of(
            "modp2048", DhGroup.MODP_2048,
            "ecp256", DhGroup.ECP_256,
            "ecp384", DhGroup.ECP_384,
            "curve25519", DhGroup.CURVE25519,
            "x25519", DhGroup.CURVE25519);

    private IkeProposals() {
    }

    /**
     * One IKE proposal such as {@code aes256gcm16-prfsha256-curve25519-ecp256} or
     * {@code aes256-sha256-modp2048}: one encryption, an integrity algorithm unless AEAD, an
     * optional PRF (else the one matching the integrity algorithm, or SHA-256 with AEAD, as
     * strongSwan does) and at least one DH group.
     */
    static IkeSuite ike(String proposal) {
        Encryption encryption = null;
        IntegrityAlgorithm integrity = IntegrityAlgorithm.NONE;
        PrfAlgorithm prf = null;
        List<DhGroup> groups = new ArrayList<>();
        for (String keyword : keywords(proposal)) {
            if (ENCRYPTION.containsKey(keyword) && encryption == null) {
                encryption = ENCRYPTION.get(keyword);
            } else if (INTEGRITY.containsKey(keyword) && integrity == IntegrityAlgorithm.NONE) {
                integrity = INTEGRITY.get(keyword);
            } else if (PRF.containsKey(keyword) && prf == null) {
                prf = PRF.get(keyword);
            } else if (GROUPS.containsKey(keyword)) {
                groups.add(GROUPS.get(keyword));
            } else {
                throw unknown(keyword, proposal, "IKE");
            }
        }
        if (encryption == null) {
            throw new IllegalArgumentException("\"" + proposal + "\" names no encryption algorithm (one of "
                    + String.join(", ", ENCRYPTION.keySet()) + ")");
        }
        boolean aead = encryption.algorithm() != EncryptionAlgorithm.ENCR_AES_CBC;
        if (aead && integrity != IntegrityAlgorithm.NONE) {
            throw new IllegalArgumentException("\"" + proposal + "\": " + "an AEAD cipher takes no integrity"
                    + " algorithm (RFC 7296 §3.3.3); drop the sha keyword or use a prf keyword");
        }
        if (!aead && integrity == IntegrityAlgorithm.NONE) {
            throw new IllegalArgumentException("\"" + proposal + "\": AES-CBC needs an integrity algorithm"
                    + " (sha256, sha384 or sha512)");
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("\"" + proposal + "\" names no Diffie-Hellman group (one of "
                    + String.join(", ", GROUPS.keySet()) + ")");
        }
        if (prf == null) {
            prf = switch (integrity) {
                case AUTH_HMAC_SHA2_384_192 -> PrfAlgorithm.PRF_HMAC_SHA2_384;
                case AUTH_HMAC_SHA2_512_256 -> PrfAlgorithm.PRF_HMAC_SHA2_512;
                default -> PrfAlgorithm.PRF_HMAC_SHA2_256;
            };
        }
        return new IkeSuite(encryption.algorithm(), encryption.keyBits(), integrity, prf, groups);
    }

    /** The ESP transform of an ESP proposal; a DH group (PFS) or {@code esn}/{@code noesn} is left out. */
    static EspProposal esp(String proposal) {
        List<String> ignored = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String keyword : keywords(proposal)) {
            if (GROUPS.containsKey(keyword) || keyword.equals("esn") || keyword.equals("noesn")) {
                ignored.add(keyword);
            } else {
                rest.add(keyword);
            }
        }
        String name = String.join("-", rest);
        try {
            return new EspProposal(EspTransform.fromName(name), ignored);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown ESP proposal \"" + proposal + "\"; PathSec implements "
                    + "aes128gcm16, aes256gcm16, chacha20poly1305, aes128-sha256, aes256-sha256");
        }
    }

    /** An ESP transform and the keywords of the proposal that PathSec does not act on. */
    record EspProposal(EspTransform transform, List<String> ignored) {
    }

    private static List<String> keywords(String proposal) {
        if (proposal == null || proposal.isBlank()) {
            throw new IllegalArgumentException("an empty proposal");
        }
        String p = proposal.trim().toLowerCase(Locale.ROOT);
        if (p.endsWith("!")) {
            p = p.substring(0, p.length() - 1); // strongSwan's "strict" mark: we only offer what is listed anyway
        }
        return List.of(p.split("-"));
    }

    private static IllegalArgumentException unknown(String keyword, String proposal, String what) {
        return new IllegalArgumentException("\"" + keyword + "\" in " + what + " proposal \"" + proposal
                + "\" is not implemented by PathSec; known: " + String.join(", ", ENCRYPTION.keySet()) + "; "
                + String.join(", ", INTEGRITY.keySet()) + "; " + String.join(", ", PRF.keySet()) + "; "
                + String.join(", ", GROUPS.keySet()));
    }
}
