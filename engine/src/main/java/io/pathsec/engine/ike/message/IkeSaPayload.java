package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Security Association payload (RFC 7296 §3.3): one or more proposals, each a set of
 * transforms. Decoding checks the substructure lengths, counts and "last" markers against each
 * other so a proposal can never be read from the bytes of its neighbour.
 */
public record IkeSaPayload(List<Proposal> proposals) implements IkePayload {
    private static final int LAST = 0;
    private static final int MORE_PROPOSALS = 2;
    private static final int MORE_TRANSFORMS = 3;
    private static final int PROPOSAL_HEADER_LENGTH = 8;
    private static final int TRANSFORM_HEADER_LENGTH = 8;
    /** Attribute Format bit: set for the fixed 2-octet TV form (§3.3.5). */
    private static final int ATTRIBUTE_FORMAT_TV = 0x8000;
    private static final int ATTRIBUTE_KEY_LENGTH = 14;

    public IkeSaPayload {
        proposals = List.copyOf(proposals);
    }

    /**
     * One proposal substructure (§3.3.1).
     *
     * @param number     Proposal Num: 1 for the first, same or +1 for the next
     * @param protocolId IKE, ESP or AH
     * @param spi        the sender's SPI: 4 octets for ESP/AH, 8 for IKE rekeying, empty in IKE_SA_INIT
     */
    public record Proposal(int number, ProtocolId protocolId, byte[] spi, List<Transform> transforms) {
        public Proposal {
            transforms = List.copyOf(transforms);
            spi = spi.clone();
        }

        /** The transform IDs of one type, in the order the proposal lists them. */
        public List<Transform> transformsOf(TransformType type) {
            return transforms.stream().filter(t -> t.type() == type.value()).toList();
        }
    }

    /**
     * One transform substructure (§3.3.2).
     *
     * @param type                   Transform Type, raw so that unknown types survive a round trip
     * @param id                     Transform ID
     * @param keyLength              Key Length attribute in bits (§3.3.5), 0 when absent
     * @param hasUnrecognizedAttribute an attribute other than Key Length was present; §3.3.6 says such
     *                               a transform must not be selected
     */
    public record Transform(int type, int id, int keyLength, boolean hasUnrecognizedAttribute) {
        public static Transform of(TransformType type, int id) {
            return new Transform(type.value(), id, 0, false);
        }

        public static Transform withKeyLength(TransformType type, int id, int keyLengthBits) {
            return new Transform(type.value(), id, keyLengthBits, false);
        }
    }

    @Override
    public int payloadType() {
        return PayloadType.SA.value();
    }

    static IkeSaPayload decode(BodyReader body) throws InvalidSyntaxException {
        List<Proposal> proposals = new ArrayList<>();
        int last = MORE_PROPOSALS;
        while (last == MORE_PROPOSALS) {
            last = body.u8();
            if (last != LAST && last != MORE_PROPOSALS) {
                throw new InvalidSyntaxException("SA: bad proposal Last Substruc " + last);
            }
            body.skip(1);
            int length = body.u16();
            if (length < PROPOSAL_HEADER_LENGTH) {
                throw new InvalidSyntaxException("SA: proposal length " + length);
            }
            proposals.add(decodeProposal(body.sub(length - 4, "SA proposal"), proposals));
        }
        if (body.remaining() != 0) {
            throw new InvalidSyntaxException("SA: " + body.remaining() + " octets after the last proposal");
        }
        return new IkeSaPayload(proposals);
    }

    private static Proposal decodeProposal(BodyReader p, List<Proposal> previous) throws InvalidSyntaxException {
        int number = p.u8();
        int expectedFirst = previous.isEmpty() ? 1 : previous.get(previous.size() - 1).number();
        if (number != expectedFirst && (previous.isEmpty() || number != expectedFirst + 1)) {
            throw new InvalidSyntaxException("SA: proposal number " + number + " out of sequence");
        }
        ProtocolId protocol = ProtocolId.fromValue(p.u8());
        if (protocol == ProtocolId.NONE) {
            throw new InvalidSyntaxException("SA: proposal with protocol id 0");
        }
        int spiSize = p.u8();
        boolean spiSizeOk = protocol == ProtocolId.IKE ? (spiSize == 0 || spiSize == 8) : spiSize == 4;
        if (!spiSizeOk) {
            throw new InvalidSyntaxException("SA: SPI size " + spiSize + " for " + protocol);
        }
        int count = p.u8();
        byte[] spi = p.bytes(spiSize);
        List<Transform> transforms = new ArrayList<>(count);
        int last = count == 0 ? LAST : MORE_TRANSFORMS;
        while (last == MORE_TRANSFORMS) {
            last = p.u8();
            if (last != LAST && last != MORE_TRANSFORMS) {
                throw new InvalidSyntaxException("SA: bad transform Last Substruc " + last);
            }
            p.skip(1);
            int length = p.u16();
            if (length < TRANSFORM_HEADER_LENGTH) {
                throw new InvalidSyntaxException("SA: transform length " + length);
            }
            transforms.add(decodeTransform(p.sub(length - 4, "SA transform")));
        }
        if (transforms.size() != count || p.remaining() != 0) {
            throw new InvalidSyntaxException("SA: proposal " + number + " announces " + count + " transforms, carries "
                    + transforms.size() + " and " + p.remaining() + " spare octets");
        }
        return new Proposal(number, protocol, spi, transforms);
    }

    private static Transform decodeTransform(BodyReader t) throws InvalidSyntaxException {
        int type = t.u8();
        t.skip(1);
        int id = t.u16();
        int keyLength = 0;
        boolean unrecognized = false;
        while (t.remaining() > 0) {
            int attributeType = t.u16();
            if ((attributeType & ATTRIBUTE_FORMAT_TV) != 0) {
                int value = t.u16();
                if ((attributeType & ~ATTRIBUTE_FORMAT_TV) == ATTRIBUTE_KEY_LENGTH) {
                    keyLength = value;
                } else {
                    unrecognized = true;
                }
            } else {
                t.skip(t.u16());
                unrecognized = true;
            }
        }
        return new Transform(type, id, keyLength, unrecognized);
    }

    @Override
    public void encodeBody(ByteBuf out) {
        for (int i = 0; i < proposals.size(); i++) {
            Proposal p = proposals.get(i);
            int start = out.writerIndex();
            out.writeByte(i == proposals.size() - 1 ? LAST : MORE_PROPOSALS);
            out.writeByte(0);
            out.writeShort(0); // length, patched below
            out.writeByte(p.number());
            out.writeByte(p.protocolId().value());
            out.writeByte(p.spi().length);
            out.writeByte(p.transforms().size());
            out.writeBytes(p.spi());
            for (int j = 0; j < p.transforms().size(); j++) {
                Transform t = p.transforms().get(j);
                out.writeByte(j == p.transforms().size() - 1 ? LAST : MORE_TRANSFORMS);
                out.writeByte(0);
                out.writeShort(TRANSFORM_HEADER_LENGTH + (t.keyLength() != 0 ? 4 : 0));
                out.writeByte(t.type());
                out.writeByte(0);
                out.writeShort(t.id());
                if (t.keyLength() != 0) {
                    out.writeShort(ATTRIBUTE_FORMAT_TV | ATTRIBUTE_KEY_LENGTH);
                    out.writeShort(t.keyLength());
                }
            }
            out.setShort(start + 2, out.writerIndex() - start);
        }
    }
}
