package io.pathsec.engine.pmtu.tcpmss;

import io.pathsec.engine.ike.session.IkeSaExtensionKey;

import java.util.Optional;

/**
 * Where the TCP-MSS key comes from: an IKE session's {@code extensionKey} (IkeInitiator or
 * IkeResponder), called on the session's thread right after IKE_AUTH.
 */
@FunctionalInterface
public interface TcpMssKeySource {
    Optional<IkeSaExtensionKey> extensionKey(byte[] label, int length);

    /** The TCP-MSS key of the IKE SA, or empty when it is not authenticated yet. */
    default Optional<IkeSaExtensionKey> tcpMssKey() {
        return extensionKey(TcpMssTranscript.KEY_LABEL.clone(), TcpMssTranscript.KEY_LENGTH);
    }
}
