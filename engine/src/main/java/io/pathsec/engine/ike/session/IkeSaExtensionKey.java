package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.crypto.IkeKeyMaterial;

/**
 * Key material for one of PathSec's extensions (announced by {@link PathSecVendorId}), bound to
 * the IKE SA that IKE_AUTH authenticated, and that SA's SPIs, which name it on the wire.
 *
 * @param key prf+(SK_d, label | Ni | Nr) ({@link IkeKeyMaterial#extensionKey}); the same on both sides
 */
public record IkeSaExtensionKey(long initiatorSpi, long responderSpi, byte[] key) {
    public IkeSaExtensionKey {
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    static IkeSaExtensionKey of(IkeSa sa, byte[] ni, byte[] nr, byte[] label, int length) {
        return new IkeSaExtensionKey(sa.spiI, sa.spiR,
                IkeKeyMaterial.extensionKey(sa.keys.prf, sa.keys.skD, label, ni, nr, length));
    }

    @Override
    public String toString() {
        return "IkeSaExtensionKey[" + IkeInitiator.spiHex(initiatorSpi) + "/" + IkeInitiator.spiHex(responderSpi)
                + ", key hidden]";
    }
}
