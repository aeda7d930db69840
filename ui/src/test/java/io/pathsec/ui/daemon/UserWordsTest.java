package io.pathsec.ui.daemon;

import io.pathsec.engine.control.api.ControlError;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.DaemonUnavailableException;
import io.pathsec.engine.control.api.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserWordsTest {
    @Test
    void failuresBecomeSentencesWithTheOriginalAsDetail() {
        UserMessage m = UserWords.of(new DaemonUnavailableException(Path.of("/run/x.sock"),
                DaemonUnavailableException.Reason.NO_SOCKET, new IOException("No such file")));
        assertTrue(m.summary().startsWith("The PathSec service is not running"));
        assertTrue(m.detail().contains("/run/x.sock"));
        assertTrue(UserWords.of(new DaemonUnavailableException(Path.of("/s"), DaemonUnavailableException.Reason.NO_ACCESS,
                null)).summary().contains("group pathsec"));
        ControlException busy = new ControlException(new ControlError(ErrorCode.TUNNEL_FAILED, "TUN device psx0 is busy"));
        assertTrue(UserWords.of(new ExecutionException(busy)).summary().contains("already used"), "unwrapped");
        assertEquals("TUN device psx0 is busy", UserWords.of(busy).detail());
        assertTrue(UserWords.of(new IOException("the daemon closed the connection")).summary().startsWith("Lost contact"));
    }

    @Test
    void tunnelFailuresAreGuessedFromTheReason() {
        assertTrue(UserWords.tunnelFailure("open /dev/net/tun: Operation not permitted").contains("administrator rights"));
        assertTrue(UserWords.tunnelFailure("IKE_AUTH: AUTHENTICATION_FAILED").contains("identity or the pre-shared key"));
        assertTrue(UserWords.tunnelFailure("NO_PROPOSAL_CHOSEN").contains("proposal mismatch"));
        assertTrue(UserWords.tunnelFailure("no answer from 198.51.100.130").contains("could not be reached"));
        assertEquals("The tunnel could not start.", UserWords.tunnelFailure("something new"));
    }
}
