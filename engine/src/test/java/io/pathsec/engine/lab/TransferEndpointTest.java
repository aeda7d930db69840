package io.pathsec.engine.lab;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class TransferEndpointTest {
    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void receiverDigestMatchesSenderForTheSameBytes() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        TransferEndpoint.Result sent = TransferEndpoint.send(wire, 1_000_003, quiet);
        TransferEndpoint.Result received = TransferEndpoint.receive(new ByteArrayInputStream(wire.toByteArray()), quiet);
        assertEquals(1_000_003, sent.bytes());
        assertEquals(sent.bytes(), received.bytes());
        assertEquals(sent.sha256(), received.sha256());
    }

    @Test
    void oneChangedByteChangesTheDigest() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        TransferEndpoint.Result sent = TransferEndpoint.send(wire, 200_000, quiet);
        byte[] bytes = wire.toByteArray();
        bytes[123_456] ^= 1;
        TransferEndpoint.Result received = TransferEndpoint.receive(new ByteArrayInputStream(bytes), quiet);
        assertNotEquals(sent.sha256(), received.sha256());
    }

    @Test
    void resultLineRoundTrips() {
        TransferEndpoint.Result r = TransferEndpoint.Result.parse(
                "{\"event\":\"done\",\"bytes\":42,\"sha256\":\"ab\",\"seconds\":1.5}");
        assertEquals(42, r.bytes());
        assertEquals("ab", r.sha256());
    }
}
