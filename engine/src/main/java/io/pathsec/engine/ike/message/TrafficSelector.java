package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One traffic selector (RFC 7296 §3.13.1): an address range, an IP protocol (0 = any) and a
 * port range. A start port above the end port is legal and means OPAQUE ports (§3.13.1), so the
 * port order is not checked.
 */
public record TrafficSelector(TsType type, int ipProtocol, int startPort, int endPort,
                              InetAddress startAddress, InetAddress endAddress) {
    static final int IPV4_LENGTH = 16;
    static final int IPV6_LENGTH = 40;

    public TrafficSelector {
        int size = type == TsType.TS_IPV4_ADDR_RANGE ? 4 : 16;
        if (startAddress.getAddress().length != size || endAddress.getAddress().length != size) {
            throw new IllegalArgumentException("address family does not match " + type);
        }
    }

    /** Any protocol, any port, between two addresses of the same family. */
    public static TrafficSelector range(InetAddress start, InetAddress end) {
        TsType type = start instanceof Inet4Address ? TsType.TS_IPV4_ADDR_RANGE : TsType.TS_IPV6_ADDR_RANGE;
        return new TrafficSelector(type, 0, 0, 65535, start, end);
    }

    int encodedLength() {
        return type == TsType.TS_IPV4_ADDR_RANGE ? IPV4_LENGTH : IPV6_LENGTH;
    }

    static TrafficSelector decode(BodyReader in) throws InvalidSyntaxException {
        int typeValue = in.u8();
        TsType type = TsType.fromValue(typeValue)
                .orElseThrow(() -> new InvalidSyntaxException("TS: unknown TS type " + typeValue));
        int protocol = in.u8();
        int length = in.u16();
        int expected = type == TsType.TS_IPV4_ADDR_RANGE ? IPV4_LENGTH : IPV6_LENGTH;
        if (length != expected) {
            throw new InvalidSyntaxException("TS: selector length " + length + " for " + type);
        }
        int startPort = in.u16();
        int endPort = in.u16();
        int addressSize = (expected - 8) / 2;
        try {
            InetAddress start = InetAddress.getByAddress(in.bytes(addressSize));
            InetAddress end = InetAddress.getByAddress(in.bytes(addressSize));
            return new TrafficSelector(type, protocol, startPort, endPort, start, end);
        } catch (UnknownHostException e) {
            throw new InvalidSyntaxException("TS: bad address"); // cannot happen for 4/16 octets
        }
    }

    void encode(ByteBuf out) {
        out.writeByte(type.value());
        out.writeByte(ipProtocol);
        out.writeShort(encodedLength());
        out.writeShort(startPort);
        out.writeShort(endPort);
        out.writeBytes(startAddress.getAddress());
        out.writeBytes(endAddress.getAddress());
    }
}
