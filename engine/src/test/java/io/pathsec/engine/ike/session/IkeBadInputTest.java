package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.policy.AddressRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad IKE input at a PathSec gateway (IkeResponderTable) and client, as RFC 7296 wants it
 * handled: truncated, oversized, wrong-SPI and garbage-after-valid messages are dropped without
 * an answer (§2.21: no reply to what cannot be authenticated), a replay of the last request is
 * answered from the cache with the same octets (§2.1), older replays and replayed responses are
 * dropped; the sessions keep working afterwards.
 */
class IkeBadInputTest {
    private static final byte[] PSK = "unit-test-psk-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress CLIENT = new InetSocketAddress(AddressRange.parseAddress("198.51.100.1"), 500);
    private static final InetSocketAddress CLIENT_4500 = new InetSocketAddress(CLIENT.getAddress(), 4500);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 500);
    private static final InetSocketAddress GATEWAY_4500 = new InetSocketAddress(GATEWAY.getAddress(), 4500);

    private ManualIkeScheduler clock;
    private LoopbackNetwork net;
    private IkeResponderTable gateway;
    private IkeInitiator client;

    @BeforeEach
    void setUp() {
        clock = new ManualIkeScheduler();
        net = new LoopbackNetwork(CLIENT, GATEWAY);
        IkeResponderConfig rc = new IkeResponderConfig(GATEWAY, new IkeIdentity("gw.pathsec.test"), PSK,
                List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256),
                List.of(TrafficSelectors.of(AddressRange.parse("203.0.113.0/24"))),
                new AddressPool(AddressRange.parse("10.201.0.0/24")));
        gateway = new IkeResponderTable(rc, clock, net.transport(false), IkeSessionStateMachineTest.seeded(2),
                new IkeResponderTable.Events() {
                    @Override
                    public void established(IkeResponder session, IkeSessionListener.Established info) {
                    }

                    @Override
                    public void closed(IkeResponder session, IkeSessionException cause) {
                    }
                }, 32, Duration.ofSeconds(30));
        IkeInitiatorConfig ic = new IkeInitiatorConfig(CLIENT, GATEWAY, new IkeIdentity("client.pathsec.test"),
                new IkeIdentity("gw.pathsec.test"), PSK, List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256),
                true, List.of());
        client = new IkeInitiator(ic, clock, net.transport(true), IkeSessionStateMachineTest.seeded(1),
                new IkeSessionStateMachineTest.Recorder());
        net.initiator = client::receive;
        net.responder = gateway::receive;
    }

    /** The variants of a genuine protected message that must all be dropped unanswered. */
    private static List<byte[]> badVariantsOf(byte[] real) {
        List<byte[]> bad = new ArrayList<>();
        bad.add(Arrays.copyOf(real, 27));                       // truncated inside the header
        bad.add(Arrays.copyOf(real, real.length - 1));          // truncated ICV
        bad.add(Arrays.copyOf(real, 40));                       // truncated SK payload
        bad.add(Arrays.copyOf(real, real.length + 16));         // garbage after a valid message
        byte[] longer = Arrays.copyOf(real, 60_000);             // oversized: 60 kB, length field unchanged
        bad.add(longer);
        byte[] claims = real.clone();
        ByteBuffer.wrap(claims).putInt(24, 70_000);              // header claims more than arrived
        bad.add(claims);
        byte[] wrongR = real.clone();
        wrongR[15] ^= 0x5a;                                      // unknown responder SPI
        bad.add(wrongR);
        byte[] wrongI = real.clone();
        wrongI[7] ^= 0x5a;                                       // right SPIr, wrong SPIi
        bad.add(wrongI);
        byte[] forged = real.clone();
        forged[real.length - 3] ^= 1;                            // fails the ICV
        bad.add(forged);
        return bad;
    }

    @Test
    void badIkeAuthRequestsAreDroppedAndTheGenuineOneStillWorks() {
        List<byte[]> held = new ArrayList<>();
        net.drop = d -> d.fromInitiator() && d.natTraversal() && held.add(d.message()); // hold IKE_AUTH back
        client.start();
        net.pump(clock);
        byte[] auth = held.get(0);
        int sent = net.sent.size();
        for (byte[] bad : badVariantsOf(auth)) {
            gateway.receive(bad, CLIENT_4500, true);
        }
        assertEquals(sent, net.sent.size(), "nothing was answered (RFC 7296 §2.21)");
        assertEquals(1, gateway.sessions().size());
        assertTrue(gateway.sessions().get(0).halfOpen(), "the half-open SA is untouched");

        net.drop = d -> false;
        gateway.receive(auth, CLIENT_4500, true);
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertInstanceOf(IkeResponder.Established.class, gateway.sessions().get(0).state());
    }

    @Test
    void replaysOnAnEstablishedSaAreAnsweredFromTheCacheOrDropped() {
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        IkeSa sa = client.established().currentSa();

        int before = net.sent.size();
        sa.sendRequest(ExchangeType.INFORMATIONAL, List.of(), ignoring());
        net.pump(clock);
        byte[] firstRequest = net.sent.get(before).message();
        byte[] firstAnswer = net.sent.get(before + 1).message();

        // The last request again: the very same answer octets, once (§2.1).
        int n = net.sent.size();
        gateway.receive(firstRequest, CLIENT_4500, true);
        net.pump(clock);
        assertEquals(n + 1, net.sent.size());
        assertArrayEquals(firstAnswer, net.sent.get(n).message());

        sa.sendRequest(ExchangeType.INFORMATIONAL, List.of(), ignoring());
        net.pump(clock);
        n = net.sent.size();
        gateway.receive(firstRequest, CLIENT_4500, true); // now older than the last answered: dropped
        client.receive(firstAnswer, GATEWAY_4500, true);  // a replayed response: no request awaits it
        for (byte[] bad : badVariantsOf(firstRequest)) {
            gateway.receive(bad, CLIENT_4500, true);
            client.receive(bad, GATEWAY_4500, true);
        }
        net.pump(clock);
        assertEquals(n, net.sent.size(), "no answer to stale or bad input");

        boolean[] alive = {false};
        sa.sendRequest(ExchangeType.INFORMATIONAL, List.of(), new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
                alive[0] = true;
            }

            @Override
            public void onTimeout() {
            }
        });
        net.pump(clock);
        assertTrue(alive[0], "the IKE SA still answers");
        assertInstanceOf(IkeInitiator.Established.class, client.state());
    }

    private static IkeSa.ResponseHandler ignoring() {
        return new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
            }

            @Override
            public void onTimeout() {
            }
        };
    }
}
