package io.pathsec.engine.control.api;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IcmpDecisionCodecTest {
    @Test
    void decisionTravelsInTheEventEnvelopeWithWireNames() {
        IcmpQuotedFlow flow = new IcmpQuotedFlow("udp", "10.1.0.10", 40000, "10.2.0.10", 5001);
        IcmpDecision d = new IcmpDecision("office", 1795499681000L, IcmpOrigin.INSIDE_ROUTER, "10.2.0.1", 4, 3, 4,
                "destination-unreachable/fragmentation-needed", flow, IcmpHandling.RELAY_IKE, IcmpOutcome.RELAYED,
                null, null, "relayed");
        JsonObject envelope = JsonParser.parseString(ControlCodec.event(d)).getAsJsonObject();
        assertEquals("icmp.decision", envelope.get("event").getAsString());
        JsonObject data = envelope.getAsJsonObject("data");
        assertEquals("inside-router", data.get("origin").getAsString());
        assertEquals("ike-relay", data.get("option").getAsString());
        assertEquals("relayed", data.get("outcome").getAsString());
        assertEquals(5001, data.getAsJsonObject("quotedFlow").get("destinationPort").getAsInt());
        assertEquals(d, ControlCodec.decodeEvent(envelope).orElseThrow());
    }

    @Test
    void theOldSettingNameRelayIkeIsStillRead() {
        assertEquals(IcmpHandling.RELAY_IKE, ControlCodec.gson().fromJson("\"relay-ike\"", IcmpHandling.class));
        assertEquals(IcmpHandling.RELAY_IKE, ControlCodec.gson().fromJson("\"ike-relay\"", IcmpHandling.class));
        assertEquals("\"ike-relay\"", ControlCodec.gson().toJson(IcmpHandling.RELAY_IKE));
    }

    @Test
    void quotedFlowDescribesItselfWithBracketsForIpv6() {
        assertEquals("udp 10.1.0.10:40000 -> 10.2.0.10:5001",
                new IcmpQuotedFlow("udp", "10.1.0.10", 40000, "10.2.0.10", 5001).describe());
        assertEquals("tcp [2001:db8:1::10]:40000 -> [2001:db8:2::10]:5201",
                new IcmpQuotedFlow("tcp", "2001:db8:1::10", 40000, "2001:db8:2::10", 5201).describe());
        assertEquals("icmp 10.1.0.10 -> 10.2.0.10", new IcmpQuotedFlow("icmp", "10.1.0.10", null, "10.2.0.10", null).describe());
    }
}
