package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/** Configuration payload, CP (RFC 7296 §3.15): how a road warrior asks for and gets its virtual address. */
public record IkeConfigPayload(ConfigType configType, List<ConfigAttribute> attributes) implements IkePayload {
    public IkeConfigPayload {
        attributes = List.copyOf(attributes);
    }

    @Override
    public int payloadType() {
        return PayloadType.CP.value();
    }

    static IkeConfigPayload decode(BodyReader body) throws InvalidSyntaxException {
        int typeValue = body.u8();
        ConfigType type = ConfigType.fromValue(typeValue)
                .orElseThrow(() -> new InvalidSyntaxException("CP: unknown CFG type " + typeValue));
        body.skip(3);
        List<ConfigAttribute> attributes = new ArrayList<>();
        while (body.remaining() > 0) {
            attributes.add(ConfigAttribute.decode(body));
        }
        return new IkeConfigPayload(type, attributes);
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeByte(configType.value());
        out.writeMedium(0);
        attributes.forEach(a -> a.encode(out));
    }
}
