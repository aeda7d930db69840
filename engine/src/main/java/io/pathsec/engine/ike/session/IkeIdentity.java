package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.message.IdType;
import io.pathsec.engine.ike.message.IkeIdPayload;
import io.pathsec.engine.policy.AddressRange;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An IKE identity as a user writes it (RFC 7296 §3.5): an IP literal is ID_IPV4_ADDR or
 * ID_IPV6_ADDR, a string with '@' is ID_RFC822_ADDR, anything else ID_FQDN.
 */
public record IkeIdentity(String text) {
    public IkeIdentity {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an IKE identity must not be empty");
        }
    }

    IkeIdPayload payload(boolean initiator) {
        if (looksLikeAddress(text)) {
            return IkeIdPayload.ofAddress(initiator, AddressRange.parseAddress(text));
        }
        return text.contains("@") ? IkeIdPayload.ofRfc822(initiator, text) : IkeIdPayload.ofFqdn(initiator, text);
    }

    /** Whether a received ID payload names this identity (type and value). */
    boolean matches(IkeIdPayload id) {
        IkeIdPayload ours = payload(id.initiator());
        return ours.idType() == id.idType() && Arrays.equals(ours.data(), id.data());
    }

    /** A received identity in words, for logs and errors. */
    static String describe(IkeIdPayload id) {
        try {
            if (id.idType() == IdType.ID_IPV4_ADDR.value() || id.idType() == IdType.ID_IPV6_ADDR.value()) {
                return InetAddress.getByAddress(id.data()).getHostAddress();
            }
        } catch (java.net.UnknownHostException e) {
            return "(bad address)";
        }
        if (id.idType() == IdType.ID_FQDN.value() || id.idType() == IdType.ID_RFC822_ADDR.value()) {
            return new String(id.data(), StandardCharsets.US_ASCII);
        }
        return "(ID type " + id.idType() + ", " + id.data().length + " octets)";
    }

    private static boolean looksLikeAddress(String s) {
        return s.matches("[0-9.]+") && s.chars().filter(c -> c == '.').count() == 3 || s.contains(":");
    }

    @Override
    public String toString() {
        return text;
    }
}
