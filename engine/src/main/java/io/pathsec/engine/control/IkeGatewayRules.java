package io.pathsec.engine.control;

import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.gateway.IkeGatewayProfile;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.tunnel.IkeProfileAuth;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.pathsec.engine.control.IkePskRules.address;
import static io.pathsec.engine.control.IkePskRules.flag;
import static io.pathsec.engine.control.IkePskRules.number;
import static io.pathsec.engine.control.IkePskRules.optionalText;
import static io.pathsec.engine.control.IkePskRules.requiredText;
import static io.pathsec.engine.control.IkePskRules.texts;

/**
 * IKEv2 gateway profiles (the road-warrior responder, docs/control-api.md "Gateway profiles"):
 * <pre>
 *   {"listen": "192.0.2.1", "localId": "vpn.example.org", "psk": "…", "pool": "10.201.0.0/24",
 *    "pool6": "2001:db8:c::/112", "protectedSubnets": ["10.2.0.0/24"], "dns": ["10.2.0.53"],
 *    "ikeProposals": […], "espProposals": […], "tun": "psgw%d", "mtu": 1400}
 * </pre>
 * {@code listen}, {@code pool} (unless {@code allowTransportMode}: a gateway for host-to-host peers
 * only) and {@code protectedSubnets} are required, and {@code localId} with
 * {@code psk} as for a client ({@link IkePskRules#authentication}); the rest has the defaults of
 * {@code pathsec} gateways in the lab ({@code IkeGatewayService}).
 */
final class IkeGatewayRules implements ProfileKindRules {
    private static final Set<String> FIELDS = Set.of("name", "listen", "localId", "psk", "auth", "cert", "key", "ca",
            "pool", "pool6", "protectedSubnets", "dns", "ikeProposals", "espProposals", "tun", "mtu",
            "ikeRekeySeconds", "childRekeySeconds", "dpdDelaySeconds", "ikeFragmentation", "ikeFragmentSize",
            "allowTransportMode", "cookieThreshold");
    /** Half-open IKE SAs before cookies are asked for (RFC 7296 §2.6), as IkeGatewayService. */
    private static final int COOKIE_THRESHOLD = 32;

    @Override
    public ValidatedProfile validate(String name, JsonObject config, ProfileSettings settings,
                                     Map<String, String> storedSecrets, Path scratch) throws ControlFailure {
        IkePskRules.checkFields(name, config, FIELDS);
        List<String> warnings = new ArrayList<>();
        InetAddress listen = address("config.listen", requiredText(config, "listen",
                "the address the gateway listens on (UDP 500 and 4500)"));
        boolean hostToHost = flag(config, "allowTransportMode", false);
        // A gateway for host-to-host peers only (transport mode) hands out no addresses.
        String pool = hostToHost ? optionalText(config, "pool") : requiredText(config, "pool", "the prefix the"
                + " clients' virtual IPv4 addresses come from, e.g. \"10.201.0.0/24\"");
        if (pool != null) {
            prefixOfFamily("config.pool", pool, 4);
        }
        String pool6 = optionalText(config, "pool6");
        if (pool6 != null) {
            prefixOfFamily("config.pool6", pool6, 16);
        }
        List<String> protectedSubnets = IkePskRules.prefixes(config, "protectedSubnets");
        if (protectedSubnets.isEmpty()) {
            throw ControlFailure.invalid("config.protectedSubnets", "missing; the networks behind the gateway that"
                    + " clients reach (their TSr), e.g. [\"10.2.0.0/24\"]");
        }
        List<InetAddress> dns = new ArrayList<>();
        List<String> dnsTexts = texts(config, "dns");
        for (int i = 0; i < dnsTexts.size(); i++) {
            dns.add(address("config.dns[" + i + "]", dnsTexts.get(i)));
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        JsonObject publicConfig = config.deepCopy();
        IkeProfileAuth authentication = IkePskRules.authentication(config, storedSecrets, secrets, publicConfig,
                warnings);
        IkeGatewayProfile profile;
        try {
            profile = new IkeGatewayProfile(name, IkePskRules.tunName(config, "psgw%d"),
                    (int) number(config, "mtu", 1400, 576, 9000), listen, authentication.localIdentity(),
                    authentication.authenticator(), IkePskRules.ikeSuites(config),
                    IkePskRules.espTransforms(config, warnings), pool, protectedSubnets, dns,
                    hostToHost,
                    (int) number(config, "cookieThreshold", COOKIE_THRESHOLD, 0, 65535), IkePskRules.timers(config),
                    IkePskRules.fragmentation(config), pool6);
        } catch (IllegalArgumentException e) {
            throw ControlFailure.invalid("config", e.getMessage());
        }
        return new ValidatedProfile(new IkeGatewaySpec(name, settings, profile), publicConfig, secrets, warnings);
    }

    /** A prefix of IPv4 ({@code octets} 4) or IPv6 (16) addresses. */
    private static void prefixOfFamily(String field, String text, int octets) throws ControlFailure {
        AddressRange range;
        try {
            range = AddressRange.parse(text);
        } catch (IllegalArgumentException e) {
            throw ControlFailure.invalid(field, "not an address prefix: " + e.getMessage());
        }
        if (range.low().getAddress().length != octets) {
            throw ControlFailure.invalid(field, "must be an " + (octets == 4 ? "IPv4" : "IPv6") + " prefix, got \""
                    + text + "\"");
        }
    }

    @Override
    public List<String> secretPaths(JsonObject publicConfig) {
        return new IkePskRules().secretPaths(publicConfig);
    }
}
