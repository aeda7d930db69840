package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Delete payload (RFC 7296 §3.11). Deleting the IKE SA carries no SPI (size 0, count 0);
 * deleting ESP/AH SAs lists their 4-octet inbound SPIs.
 */
public record IkeDeletePayload(ProtocolId protocolId, List<byte[]> spis) implements IkePayload {
    public IkeDeletePayload {
        spis = spis.stream().map(byte[]::clone).toList();
    }

    public static IkeDeletePayload ikeSa() {
        return new IkeDeletePayload(ProtocolId.IKE, List.of());
    }

    @Override
    public int payloadType() {
        return PayloadType.DELETE.value();
    }

    static IkeDeletePayload decode(BodyReader body) throws InvalidSyntaxException {
        ProtocolId protocol = ProtocolId.fromValue(body.u8());
        int spiSize = body.u8();
        int count = body.u16();
        boolean sizeOk = switch (protocol) {
            case IKE -> spiSize == 0 && count == 0;
            case ESP, AH -> spiSize == 4;
            case NONE -> false;
        };
        if (!sizeOk || body.remaining() != spiSize * count) {
            throw new InvalidSyntaxException("Delete: " + protocol + " with SPI size " + spiSize + ", count " + count
                    + ", " + body.remaining() + " octets");
        }
        List<byte[]> spis = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            spis.add(body.bytes(spiSize));
        }
        return new IkeDeletePayload(protocol, spis);
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeByte(protocolId.value());
        out.writeByte(protocolId == ProtocolId.IKE ? 0 : protocolId.spiSize());
        out.writeShort(spis.size());
        spis.forEach(out::writeBytes);
    }
}
