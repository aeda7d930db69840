package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/** Traffic Selector payload, TSi or TSr (RFC 7296 §3.13). */
public record IkeTsPayload(boolean initiator, List<TrafficSelector> selectors) implements IkePayload {
    public IkeTsPayload {
        selectors = List.copyOf(selectors);
    }

    @Override
    public int payloadType() {
        return (initiator ? PayloadType.TSI : PayloadType.TSR).value();
    }

    static IkeTsPayload decode(boolean initiator, BodyReader body) throws InvalidSyntaxException {
        int count = body.u8();
        body.skip(3);
        if (count == 0) {
            throw new InvalidSyntaxException("TS: no traffic selectors");
        }
        List<TrafficSelector> selectors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            selectors.add(TrafficSelector.decode(body));
        }
        if (body.remaining() != 0) {
            throw new InvalidSyntaxException("TS: " + body.remaining() + " octets after " + count + " selectors");
        }
        return new IkeTsPayload(initiator, selectors);
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeByte(selectors.size());
        out.writeMedium(0);
        selectors.forEach(s -> s.encode(out));
    }
}
