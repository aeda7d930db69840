package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Notify payload (RFC 7296 §3.10). The type is kept raw so that unknown status types pass
 * through (§3.10.1: they must be ignored); known types with a fixed data shape are checked.
 */
public record IkeNotifyPayload(ProtocolId protocolId, byte[] spi, int notifyType, byte[] data) implements IkePayload {
    /** SHA-1 output length used by NAT_DETECTION_*_IP (§2.23). */
    public static final int NAT_DETECTION_DATA_LENGTH = 20;
    /** §2.6: a cookie is between 1 and 64 octets. */
    public static final int MAX_COOKIE_LENGTH = 64;

    public IkeNotifyPayload {
        spi = spi.clone();
        data = data.clone();
    }

    public static IkeNotifyPayload of(NotifyType type, byte[] data) {
        return new IkeNotifyPayload(ProtocolId.NONE, new byte[0], type.value(), data);
    }

    public static IkeNotifyPayload of(NotifyType type) {
        return of(type, new byte[0]);
    }

    public static IkeNotifyPayload invalidKePayload(DhGroup acceptedGroup) {
        int g = acceptedGroup.value();
        return of(NotifyType.INVALID_KE_PAYLOAD, new byte[] {(byte) (g >> 8), (byte) g});
    }

    /** REKEY_SA names the Child SA being rekeyed by protocol and inbound SPI (§1.3.3). */
    public static IkeNotifyPayload rekeySa(ProtocolId protocol, byte[] spi) {
        return new IkeNotifyPayload(protocol, spi, NotifyType.REKEY_SA.value(), new byte[0]);
    }

    /** RFC 7427 §4: the list of two-octet hash algorithm identifiers we support. */
    public static IkeNotifyPayload signatureHashAlgorithms(List<HashAlgorithm> algorithms) {
        byte[] d = new byte[algorithms.size() * 2];
        for (int i = 0; i < algorithms.size(); i++) {
            d[2 * i] = (byte) (algorithms.get(i).value() >> 8);
            d[2 * i + 1] = (byte) algorithms.get(i).value();
        }
        return of(NotifyType.SIGNATURE_HASH_ALGORITHMS, d);
    }

    @Override
    public int payloadType() {
        return PayloadType.NOTIFY.value();
    }

    public Optional<NotifyType> type() {
        return NotifyType.fromValue(notifyType);
    }

    public boolean isError() {
        return notifyType < NotifyType.FIRST_STATUS_TYPE;
    }

    /** The group a peer asks for in INVALID_KE_PAYLOAD (§3.10.1, two octets). */
    public int acceptedDhGroup() {
        return ((data[0] & 0xff) << 8) | (data[1] & 0xff);
    }

    /** The raw identifiers of SIGNATURE_HASH_ALGORITHMS, unknown ones included. */
    public List<Integer> hashAlgorithmIds() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i + 1 < data.length; i += 2) {
            ids.add(((data[i] & 0xff) << 8) | (data[i + 1] & 0xff));
        }
        return ids;
    }

    static IkeNotifyPayload decode(BodyReader body) throws InvalidSyntaxException {
        int protocolValue = body.u8();
        ProtocolId protocol = ProtocolId.fromValue(protocolValue);
        int spiSize = body.u8();
        int type = body.u16();
        if (spiSize != 0 && spiSize != 4 && spiSize != 8) {
            throw new InvalidSyntaxException("Notify: SPI size " + spiSize);
        }
        byte[] spi = body.bytes(spiSize);
        byte[] data = body.rest();
        checkData(type, data);
        return new IkeNotifyPayload(protocol, spi, type, data);
    }

    private static void checkData(int type, byte[] data) throws InvalidSyntaxException {
        Optional<NotifyType> known = NotifyType.fromValue(type);
        if (known.isEmpty()) {
            return;
        }
        boolean ok = switch (known.get()) {
            case INVALID_KE_PAYLOAD -> data.length == 2;
            case NAT_DETECTION_SOURCE_IP, NAT_DETECTION_DESTINATION_IP -> data.length == NAT_DETECTION_DATA_LENGTH;
            case COOKIE -> data.length >= 1 && data.length <= MAX_COOKIE_LENGTH;
            case SIGNATURE_HASH_ALGORITHMS -> data.length % 2 == 0;
            case USE_TRANSPORT_MODE, IKEV2_FRAGMENTATION_SUPPORTED, INITIAL_CONTACT, REKEY_SA -> data.length == 0;
            case UNSUPPORTED_CRITICAL_PAYLOAD -> data.length == 1;
            default -> true;
        };
        if (!ok) {
            throw new InvalidSyntaxException("Notify " + known.get() + ": " + data.length + " octets of data");
        }
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeByte(protocolId.value());
        out.writeByte(spi.length);
        out.writeShort(notifyType);
        out.writeBytes(spi);
        out.writeBytes(data);
    }
}
