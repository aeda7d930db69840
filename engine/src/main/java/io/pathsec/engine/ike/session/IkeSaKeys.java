package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.crypto.IkeEncryption;
import io.pathsec.engine.ike.crypto.IkeKeyMaterial;
import io.pathsec.engine.ike.crypto.Prf;

import java.security.SecureRandom;

/**
 * The keys of one IKE SA (RFC 7296 §2.14) seen from one side: the PRF, SK_d for CHILD_SA keys,
 * SK_pi/SK_pr for AUTH, and the SK protection of each direction.
 */
final class IkeSaKeys {
    final IkeSuite.Chosen suite;
    final Prf prf;
    final byte[] skD;
    final byte[] skPi;
    final byte[] skPr;
    /** Protects what we send and opens what we receive. */
    final IkeEncryption outbound;
    final IkeEncryption inbound;

    private IkeSaKeys(IkeSuite.Chosen suite, Prf prf, IkeKeyMaterial k, boolean weAreInitiator, SecureRandom random) {
        this.suite = suite;
        this.prf = prf;
        this.skD = k.skD();
        this.skPi = k.skPi();
        this.skPr = k.skPr();
        IkeEncryption i2r = IkeEncryption.create(suite.encryption(), suite.keyLengthBits(), suite.integrity(),
                k.skEi(), k.skAi(), random);
        IkeEncryption r2i = IkeEncryption.create(suite.encryption(), suite.keyLengthBits(), suite.integrity(),
                k.skEr(), k.skAr(), random);
        this.outbound = weAreInitiator ? i2r : r2i;
        this.inbound = weAreInitiator ? r2i : i2r;
    }

    /**
     * The keys of the IKE SA that replaces {@code old} (§2.18): SKEYSEED = prf(SK_d (old),
     * g^ir (new) | Ni | Nr) with the old SA's PRF, then prf+ with the new nonces and SPIs (§2.14).
     * Ni, Nr and the SPIs are those of the rekey exchange, initiator's first.
     */
    static IkeSaKeys rekey(IkeSaKeys old, IkeSuite.Chosen suite, byte[] ni, byte[] nr, byte[] sharedSecret, long spiI,
                           long spiR, boolean weAreInitiator, SecureRandom random) {
        Prf prf = Prf.of(suite.prf());
        byte[] skeyseed = IkeKeyMaterial.rekeyedSkeyseed(old.prf, old.skD, sharedSecret, ni, nr);
        IkeKeyMaterial k = IkeKeyMaterial.derive(prf, skeyseed, ni, nr, spiI, spiR,
                IkeEncryption.integrityKeyLength(suite.integrity()),
                IkeEncryption.encryptionKeyLength(suite.encryption(), suite.keyLengthBits()));
        java.util.Arrays.fill(skeyseed, (byte) 0);
        return new IkeSaKeys(suite, prf, k, weAreInitiator, random);
    }

    /** SKEYSEED and the seven keys from g^ir, the nonces and the SPIs (§2.14). */
    static IkeSaKeys derive(IkeSuite.Chosen suite, byte[] ni, byte[] nr, byte[] sharedSecret, long spiI, long spiR,
                            boolean weAreInitiator, SecureRandom random) {
        Prf prf = Prf.of(suite.prf());
        byte[] skeyseed = IkeKeyMaterial.skeyseed(prf, ni, nr, sharedSecret);
        IkeKeyMaterial k = IkeKeyMaterial.derive(prf, skeyseed, ni, nr, spiI, spiR,
                IkeEncryption.integrityKeyLength(suite.integrity()),
                IkeEncryption.encryptionKeyLength(suite.encryption(), suite.keyLengthBits()));
        java.util.Arrays.fill(skeyseed, (byte) 0);
        return new IkeSaKeys(suite, prf, k, weAreInitiator, random);
    }
}
