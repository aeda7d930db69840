package io.pathsec.engine.control;

import io.pathsec.engine.ike.session.IkeSessionException;
import io.pathsec.engine.ike.session.IkeSessionException.Reason;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The words a failed IKE connect is shown with, as the CLI's progress line and the GUI show them. */
class IkeFailureWordsTest {
    @Test
    void eachReasonBecomesWordsFollowedByTheDetails() {
        assertEquals("gateway unreachable: the gateway 192.0.2.1:500 did not answer IKE_SA_INIT (6 tries)",
                IkeFailureWords.of(new IkeSessionException(Reason.TIMEOUT,
                        "the gateway 192.0.2.1:500 did not answer IKE_SA_INIT (6 tries)")));
        assertEquals("no proposal chosen: the gateway wants Diffie-Hellman group 21, which we do not offer",
                IkeFailureWords.of(new IkeSessionException(Reason.NO_PROPOSAL_CHOSEN,
                        "the gateway wants Diffie-Hellman group 21, which we do not offer")));
        assertEquals("gateway unreachable: gateway unreachable (no answer to liveness checks for 40 s)".replaceFirst(
                "gateway unreachable: ", ""), IkeFailureWords.of(new IkeSessionException(Reason.PEER_UNREACHABLE,
                "gateway unreachable (no answer to liveness checks for 40 s)")));
    }

    @Test
    void wordsAreNotRepeatedWhenTheMessageStartsWithThem() {
        assertEquals("authentication failed: the gateway rejected our PSK/AUTH", IkeFailureWords.of(
                new IkeSessionException(Reason.AUTHENTICATION_FAILED,
                        "authentication failed: the gateway rejected our PSK/AUTH")));
    }
}
