package io.pathsec.engine.diag;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.SecurityAssociation;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Writes Wireshark's ESP SA table ("esp_sa" UAT, Protocols › ESP › ESP SAs) so that a capture
 * of a tunnel can be decrypted there: one line per SA with protocol, outer source and
 * destination, SPI, encryption algorithm and key (with the RFC 4106 salt appended), and
 * authentication algorithm and key.
 *
 * <p>Contains secrets: write it only where the user asked for it (a diagnostics bundle, a
 * test) and with owner-only permissions.
 */
public final class WiresharkEspSaFile {
    private WiresharkEspSaFile() {
    }

    /** The file's lines for the SAs Wireshark can decrypt; others are left out. */
    public static List<String> lines(List<SecurityAssociation> sas) {
        return sas.stream().map(WiresharkEspSaFile::line).flatMap(Optional::stream).toList();
    }

    /** One UAT record, or empty when Wireshark has no such algorithm. */
    public static Optional<String> line(SecurityAssociation sa) {
        EspTransform t = EspTransform.fromName(sa.transform());
        byte[] keymat = sa.keyMaterial();
        String encryption;
        String encryptionKey;
        String authentication;
        String authenticationKey;
        switch (t) {
            case AES_GCM_16_128, AES_GCM_16_256 -> {
                encryption = "AES-GCM with 16 octet ICV [RFC4106]";
                encryptionKey = hex(keymat, 0, keymat.length); // key || salt, as Wireshark expects
                authentication = "NULL";
                authenticationKey = "";
            }
            case AES_CBC_128_HMAC_SHA2_256_128, AES_CBC_256_HMAC_SHA2_256_128 -> {
                int encLength = keymat.length - 32;
                encryption = "AES-CBC [RFC3602]";
                encryptionKey = hex(keymat, 0, encLength);
                authentication = "HMAC-SHA-256-128 [RFC4868]";
                authenticationKey = hex(keymat, encLength, 32);
            }
            default -> {
                return Optional.empty();
            }
        }
        boolean outbound = sa.direction() == Direction.OUTBOUND;
        InetSocketAddress src = outbound ? sa.localEndpoint() : sa.remoteEndpoint();
        InetSocketAddress dst = outbound ? sa.remoteEndpoint() : sa.localEndpoint();
        String protocol = src.getAddress() instanceof Inet6Address ? "IPv6" : "IPv4";
        return Optional.of(String.join(",", quote(protocol), quote(src.getAddress().getHostAddress()),
                quote(dst.getAddress().getHostAddress()), quote(String.format("0x%08x", sa.spi())),
                quote(encryption), quote(encryptionKey), quote(authentication), quote(authenticationKey)));
    }

    private static String hex(byte[] bytes, int from, int length) {
        return "0x" + HexFormat.of().formatHex(bytes, from, from + length);
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
