package io.pathsec.engine.ike.session;

import io.netty.buffer.Unpooled;
import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.NotifyType;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.IpsecMode;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rekeying a transport-mode CHILD_SA (RFC 7296 §1.3.1, §1.3.3, §2.8) between PathSec hosts on a
 * manual clock: the CREATE_CHILD_SA request and its answer both carry USE_TRANSPORT_MODE, and
 * the new CHILD_SA is in transport mode on both sides, whichever side rekeys.
 */
class TransportModeRekeyTest {
    private static final byte[] PSK = "unit-test-psk-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress HOST1 = new InetSocketAddress(AddressRange.parseAddress("198.51.100.1"), 500);
    private static final InetSocketAddress HOST2 = new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 500);

    private final ManualIkeScheduler clock = new ManualIkeScheduler();
    private final LoopbackNetwork net = new LoopbackNetwork(HOST1, HOST2);
    private IkeInitiator g1;
    private IkeResponder g2;

    private void connect() {
        IkeInitiatorConfig ic = new IkeInitiatorConfig(HOST1, HOST2, new IkeIdentity("g1.pathsec.test"),
                new IkeIdentity("g2.pathsec.test"), PSK, List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256),
                false, List.of(TrafficSelectors.single(HOST2.getAddress())), IkeSessionTimers.DEFAULT,
                ChildSaModeRequest.TRANSPORT);
        g1 = new IkeInitiator(ic, clock, net.transport(true), IkeSessionStateMachineTest.seeded(1),
                new IkeSessionStateMachineTest.Recorder());
        IkeResponderConfig rc = new IkeResponderConfig(HOST2, new IkeIdentity("g2.pathsec.test"), PSK,
                List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256),
                List.of(TrafficSelectors.single(HOST2.getAddress())), null, true);
        g2 = new IkeResponder(rc, clock, net.transport(false), IkeSessionStateMachineTest.seeded(2),
                new IkeSessionStateMachineTest.Recorder());
        net.initiator = g1::receive;
        net.responder = g2::receive;
        g1.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, g1.state());
        assertEquals(IpsecMode.TRANSPORT, g1.established().children().installed().get(0).mode());
    }

    /** The CREATE_CHILD_SA messages on the wire, opened with the receiving side's keys. */
    private List<IkeMessage> createChildSa() {
        return net.sent.stream().map(d -> {
            try {
                IkeHeader h = IkeHeader.decode(Unpooled.wrappedBuffer(d.message()));
                if (h.exchangeType() != ExchangeType.CREATE_CHILD_SA) {
                    return null;
                }
                IkeSa receiver = d.fromInitiator() ? g2.established().currentSa() : g1.established().currentSa();
                return receiver.keys.inbound.decryptMessage(d.message());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).filter(m -> m != null).toList();
    }

    private static boolean asksTransport(IkeMessage m) {
        return m.all(IkeNotifyPayload.class).stream()
                .anyMatch(n -> n.notifyType() == NotifyType.USE_TRANSPORT_MODE.value());
    }

    @Test
    void initiatorRekeyKeepsTransportMode() {
        connect();
        ChildSa old = g1.established().children().installed().get(0);
        g1.rekeyChildSa(old.inboundSpi());
        net.pump(clock);
        assertRekeyedInTransportMode(old);
    }

    @Test
    void responderRekeyKeepsTransportMode() {
        connect();
        ChildSa old = g1.established().children().installed().get(0);
        g2.established().children().rekey(old.outboundSpi()); // g2's inbound SPI
        net.pump(clock);
        assertRekeyedInTransportMode(old);
    }

    private void assertRekeyedInTransportMode(ChildSa old) {
        List<IkeMessage> exchange = createChildSa();
        assertEquals(2, exchange.size(), "one request, one answer");
        assertTrue(asksTransport(exchange.get(0)), "the request asks for transport mode");
        assertTrue(asksTransport(exchange.get(1)), "the answer repeats it");
        ChildSa mine = g1.established().children().installed().get(0);
        ChildSa theirs = g2.established().children().installed().get(0);
        assertNotEquals(old.inboundSpi(), mine.inboundSpi(), "a new CHILD_SA");
        assertEquals(IpsecMode.TRANSPORT, mine.mode());
        assertEquals(IpsecMode.TRANSPORT, theirs.mode());
        assertEquals(1, g1.established().children().rekeys(), "one rekey, counted by each side");
        assertEquals(1, g2.established().children().rekeys());
    }
}
