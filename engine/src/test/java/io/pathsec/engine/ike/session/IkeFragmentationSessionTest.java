package io.pathsec.engine.ike.session;

import io.netty.buffer.Unpooled;
import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.fragment.IkeFragmentPolicy;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeProtocolException;
import io.pathsec.engine.ike.message.NotifyType;
import io.pathsec.engine.ike.message.PayloadType;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.policy.AddressRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IKE fragmentation (RFC 7383) between PathSec's initiator and responder on a manual clock: it
 * is negotiated in IKE_SA_INIT, a large IKE_AUTH travels in fragments both ways, a lost fragment
 * makes the whole request go again, a repeated request costs one repeated answer, and it
 * survives an IKE SA rekey.
 */
class IkeFragmentationSessionTest {
    private static final byte[] PSK = "unit-test-psk-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress CLIENT = new InetSocketAddress(AddressRange.parseAddress("198.51.100.1"), 500);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 500);
    /** RFC 7383 §2.5.1 for IPv4 on port 4500: 576 - 20 (IP) - 8 (UDP) - 4 (non-ESP marker). */
    private static final int MAX_IPV4_MESSAGE = 544;

    private ManualIkeScheduler clock;
    private LoopbackNetwork net;
    private IkeSessionStateMachineTest.Recorder clientEvents;
    private IkeSessionStateMachineTest.Recorder gatewayEvents;

    @BeforeEach
    void setUp() {
        clock = new ManualIkeScheduler();
        net = new LoopbackNetwork(CLIENT, GATEWAY);
        clientEvents = new IkeSessionStateMachineTest.Recorder();
        gatewayEvents = new IkeSessionStateMachineTest.Recorder();
    }

    /** 100 protected /16 networks: TSr of about 1.6 kB in the request and again in the answer. */
    private static List<TrafficSelector> manyNetworks() throws Exception {
        List<TrafficSelector> ts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ts.add(TrafficSelector.range(InetAddress.getByAddress(new byte[] {10, (byte) (100 + i), 0, 0}),
                    InetAddress.getByAddress(new byte[] {10, (byte) (100 + i), (byte) 255, (byte) 255})));
        }
        return ts;
    }

    private IkeInitiator initiator(IkeFragmentPolicy policy) throws Exception {
        IkeInitiatorConfig config = new IkeInitiatorConfig(CLIENT, GATEWAY, new IkeIdentity("client.pathsec.test"),
                new IkeIdentity("gw.pathsec.test"), PSK, List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256),
                true, manyNetworks());
        IkeInitiator i = new IkeInitiator(config, clock, net.transport(true), IkeSessionStateMachineTest.seeded(1),
                clientEvents);
        i.useFragmentation(policy);
        net.initiator = i::receive;
        return i;
    }

    private IkeResponder responder(IkeFragmentPolicy policy) throws Exception {
        IkeResponderConfig config = new IkeResponderConfig(GATEWAY, new IkeIdentity("gw.pathsec.test"), PSK,
                List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256), manyNetworks(),
                new AddressPool(AddressRange.parse("10.200.0.0/24")));
        IkeResponder r = new IkeResponder(config, clock, net.transport(false), IkeSessionStateMachineTest.seeded(2),
                gatewayEvents);
        r.useFragmentation(policy);
        net.responder = r::receive;
        return r;
    }

    private static IkeHeader header(LoopbackNetwork.Datagram d) {
        try {
            return IkeHeader.decode(Unpooled.wrappedBuffer(d.message()));
        } catch (IkeProtocolException e) {
            throw new AssertionError(e);
        }
    }

    private List<LoopbackNetwork.Datagram> auth(boolean fromInitiator) {
        return net.sent.stream().filter(d -> d.fromInitiator() == fromInitiator
                && header(d).exchangeType() == ExchangeType.IKE_AUTH).toList();
    }

    private static boolean announces(byte[] init) throws IkeProtocolException {
        return IkeMessage.decode(init).all(io.pathsec.engine.ike.message.IkeNotifyPayload.class).stream()
                .anyMatch(n -> n.notifyType() == NotifyType.IKEV2_FRAGMENTATION_SUPPORTED.value());
    }

    @Test
    void largeIkeAuthTravelsInFragmentsBothWays() throws Exception {
        IkeInitiator client = initiator(IkeFragmentPolicy.DEFAULT);
        IkeResponder gateway = responder(IkeFragmentPolicy.DEFAULT);
        client.start();
        net.pump(clock);

        assertInstanceOf(IkeInitiator.Established.class, client.state(), () -> "closed: " + clientEvents.closed);
        assertTrue(announces(net.sent.get(0).message()) && announces(net.sent.get(1).message()), "§2.3 both ways");
        assertTrue(client.fragmentationNegotiated() && gateway.fragmentationNegotiated());
        List<LoopbackNetwork.Datagram> request = auth(true);
        List<LoopbackNetwork.Datagram> response = auth(false);
        assertTrue(request.size() >= 4 && response.size() >= 4, request.size() + " / " + response.size() + " fragments");
        for (LoopbackNetwork.Datagram d : net.sent.subList(2, net.sent.size())) {
            assertTrue(d.message().length <= MAX_IPV4_MESSAGE, d.message().length + " octets");
            assertEquals(PayloadType.SKF.value(), header(d).nextPayload());
        }
        assertEquals(100, clientEvents.established.get(0).child().remoteTs().size(), "every network arrived");
    }

    @Test
    void aLostFragmentMakesTheWholeRequestGoAgain() throws Exception {
        IkeInitiator client = initiator(IkeFragmentPolicy.DEFAULT);
        responder(IkeFragmentPolicy.DEFAULT);
        boolean[] lost = {false};
        net.drop = d -> {
            boolean third = d.fromInitiator() && header(d).exchangeType() == ExchangeType.IKE_AUTH && !lost[0]
                    && auth(true).size() == 3;
            lost[0] |= third;
            return third;
        };
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.CreateIkeLocalIkeAuth.class, client.state(), "fragment 3 is missing");
        int firstSend = auth(true).size();
        assertEquals(0, auth(false).size(), "nothing answered before the message is whole");
        clock.advance(Duration.ofSeconds(1));
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertEquals(2 * firstSend, auth(true).size(), "every fragment was sent again (RFC 7383 §2.5.3)");
    }

    @Test
    void aRepeatedFragmentedRequestIsAnsweredOnce() throws Exception {
        IkeInitiator client = initiator(IkeFragmentPolicy.DEFAULT);
        responder(IkeFragmentPolicy.DEFAULT);
        net.drop = d -> !d.fromInitiator() && header(d).exchangeType() == ExchangeType.IKE_AUTH
                && auth(false).size() <= countFragments(d); // the whole first answer is lost
        client.start();
        net.pump(clock);
        int answerFragments = auth(false).size();
        assertTrue(answerFragments >= 2);
        clock.advance(Duration.ofSeconds(1));
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertEquals(2 * answerFragments, auth(false).size(),
                "the cached answer went once for all fragments of the repeated request (§2.6.1)");
        assertEquals(1, gatewayEvents.established.size());
    }

    private static int countFragments(LoopbackNetwork.Datagram d) {
        byte[] m = d.message();
        return ((m[34] & 0xff) << 8) | (m[35] & 0xff); // Total Fragments after header and generic header
    }

    @Test
    void withoutSupportOnOneSideNothingIsFragmented() throws Exception {
        IkeInitiator client = initiator(IkeFragmentPolicy.DEFAULT);
        IkeResponder gateway = responder(IkeFragmentPolicy.OFF);
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertFalse(announces(net.sent.get(1).message()));
        assertFalse(client.fragmentationNegotiated() || gateway.fragmentationNegotiated());
        assertEquals(1, auth(true).size());
        assertTrue(auth(true).get(0).message().length > MAX_IPV4_MESSAGE);
        assertEquals(PayloadType.SK.value(), header(auth(true).get(0)).nextPayload());
    }

    @Test
    void aLearntPathMtuSizesTheFragments() throws Exception {
        IkeInitiator client = initiator(IkeFragmentPolicy.DEFAULT);
        responder(IkeFragmentPolicy.DEFAULT);
        client.start();
        net.pump(clock);
        client.outerPathMtu(1400); // e.g. from DPLPMTUD: 1400 - 20 (IPv4) - 8 (UDP) - 4 (marker) per message
        int before = net.sent.size();
        client.established().currentSa().sendRequest(ExchangeType.INFORMATIONAL,
                List.of(new io.pathsec.engine.ike.message.IkeVendorIdPayload(new byte[3000])), new IkeSa.ResponseHandler() {
                    @Override
                    public void onResponse(IkeMessage response) {
                    }

                    @Override
                    public void onTimeout() {
                    }
                });
        net.pump(clock);
        List<LoopbackNetwork.Datagram> request = net.sent.subList(before, net.sent.size()).stream()
                .filter(LoopbackNetwork.Datagram::fromInitiator).toList();
        assertEquals(3, request.size(), "3 kB in fragments of at most 1368 octets");
        assertTrue(request.stream().allMatch(d -> d.message().length <= 1368));
        assertTrue(request.get(0).message().length > MAX_IPV4_MESSAGE, "larger than the 576-octet default");
    }

    @Test
    void aRekeyedIkeSaKeepsFragmentation() throws Exception {
        IkeInitiator client = initiator(IkeFragmentPolicy.DEFAULT);
        IkeResponder gateway = responder(IkeFragmentPolicy.DEFAULT);
        client.start();
        net.pump(clock);
        long before = client.initiatorSpi();
        client.rekeyIkeSa();
        net.pump(clock);
        IkeSa now = ((IkeInitiator.Established) client.state()).sa();
        assertTrue(now.spiI != before, "a new IKE SA");
        assertTrue(client.fragmentationNegotiated() && gateway.fragmentationNegotiated());
    }
}
