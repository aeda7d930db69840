package io.pathsec.engine.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.pathsec.engine.control.api.ControlProtocol;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.fragment.IkeFragmentPolicy;
import io.pathsec.engine.ike.session.ChildSaModeRequest;
import io.pathsec.engine.ike.session.IkeIdentity;
import io.pathsec.engine.ike.session.IkeSessionTimers;
import io.pathsec.engine.ike.session.IkeSuite;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.tunnel.IkeProfileAuth;
import io.pathsec.engine.tunnel.IkeTunnelService;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * IKEv2 PSK profiles. {@code config} (docs/control-api.md, "IKEv2 profiles"):
 * <pre>
 *   {"gateway": "vpn.example.org", "localId": "alice@example.org", "remoteId": "vpn.example.org",
 *    "psk": "…", "ikeProposals": ["aes256gcm16-prfsha256-curve25519"], "espProposals": ["aes256gcm16"],
 *    "remoteTs": ["10.0.0.0/8"], "local": "198.51.100.7", "tun": "psike%d", "mtu": 1400,
 *    "ikeRekeySeconds": 14400, "childRekeySeconds": 3600, "dpdDelaySeconds": 30}
 * </pre>
 * Only {@code gateway}, {@code localId} and {@code psk} are required. The PSK is the one secret:
 * text, or strongSwan's {@code 0x…} (hex) or {@code 0s…} (base64) for binary keys.
 *
 * <p>With {@code "auth": "certificate"} there is no PSK; {@code cert}, {@code key} and {@code ca}
 * are PEM text (our certificate, its private key, the CAs we trust) that the CLI reads from
 * {@code "@file:PATH"} with the user's permissions, and {@code localId} may be left out (the
 * certificate's subject is used). The private key is a secret like the PSK.
 */
final class IkePskRules implements ProfileKindRules {
    static final String PSK_ID = "psk";
    /** A certificate profile's private key (PEM): a secret like the PSK. */
    static final String KEY_ID = "key";
    private static final Set<String> FIELDS = Set.of("name", "gateway", "local", "localId", "remoteId", "psk",
            "ikeProposals", "espProposals", "remoteTs", "tun", "mtu", "ikeRekeySeconds", "childRekeySeconds",
            "dpdDelaySeconds", "auth", "cert", "key", "ca", "ipv6", "ikeFragmentation", "ikeFragmentSize",
            "natKeepaliveSeconds", "mode", "trafficSelectors");
    /** RFC 7296 §2.15: a PSK should be as strong as the keys it protects; short ones are guessable offline. */
    private static final int WEAK_PSK_OCTETS = 16;

    @Override
    public ValidatedProfile validate(String name, JsonObject config, ProfileSettings settings,
                                     Map<String, String> storedSecrets, Path scratch) throws ControlFailure {
        checkFields(name, config, FIELDS);
        List<String> warnings = new ArrayList<>();
        String gateway = requiredText(config, "gateway", "the gateway's address or DNS name");
        InetAddress local = null;
        String localText = optionalText(config, "local");
        if (localText != null) {
            local = address("config.local", localText);
        }
        String remoteIdText = optionalText(config, "remoteId");
        IkeIdentity remoteId = remoteIdText == null ? null : identity("config.remoteId", remoteIdText);
        if (remoteId == null) {
            warnings.add("config.remoteId is not set: any gateway identity is accepted");
        }

        Map<String, String> secrets = new LinkedHashMap<>();
        JsonObject publicConfig = config.deepCopy();
        IkeProfileAuth authentication = authentication(config, storedSecrets, secrets, publicConfig, warnings);
        List<IkeSuite> suites = ikeSuites(config);
        List<EspTransform> esp = espTransforms(config, warnings);
        List<String> remoteTs = prefixes(config, "remoteTs");
        String tun = tunName(config, "psike%d");
        int mtu = (int) number(config, "mtu", 1400, 576, 9000);
        IkeSessionTimers timers = timers(config);
        IkeClientProfileSpec spec = new IkeClientProfileSpec(name, settings, gateway, local,
                authentication.localIdentity(), remoteId, authentication.authenticator(), suites, esp, remoteTs, tun,
                mtu, timers, fragmentation(config), flag(config, "ipv6", false), mode(config),
                trafficSelectors(config));
        return new ValidatedProfile(spec, publicConfig, secrets, warnings);
    }

    /** {@code trafficSelectors}: narrow TSr with protocol and ports (docs/ike.md, "Narrow traffic selectors"). */
    static List<String> trafficSelectors(JsonObject config) throws ControlFailure {
        List<String> trafficSelectors = texts(config, "trafficSelectors");
        for (int i = 0; i < trafficSelectors.size(); i++) {
            try {
                io.pathsec.engine.tunnel.TrafficSelectorText.parse(trafficSelectors.get(i));
            } catch (IllegalArgumentException e) {
                throw ControlFailure.invalid("config.trafficSelectors[" + i + "]", e.getMessage());
            }
        }
        return trafficSelectors;
    }

    /**
     * {@code mode}: {@code tunnel} (the default, a road warrior), {@code transport} (host to host:
     * USE_TRANSPORT_MODE, RFC 7296 §1.3.1; a gateway that refuses ends the connect) or
     * {@code transport-or-tunnel} (tunnel mode accepted when transport is refused).
     */
    static ChildSaModeRequest mode(JsonObject config) throws ControlFailure {
        String mode = optionalText(config, "mode");
        if (mode == null) {
            return ChildSaModeRequest.TUNNEL;
        }
        return switch (mode.toLowerCase()) {
            case "tunnel" -> ChildSaModeRequest.TUNNEL;
            case "transport" -> ChildSaModeRequest.TRANSPORT;
            case "transport-or-tunnel" -> ChildSaModeRequest.TRANSPORT_OR_TUNNEL;
            default -> throw ControlFailure.invalid("config.mode", "must be \"tunnel\", \"transport\" or"
                    + " \"transport-or-tunnel\", got \"" + mode + "\"");
        };
    }

    /** Refuses fields the kind does not know (naming them) and a {@code name} other than the profile's. */
    static void checkFields(String name, JsonObject config, Set<String> known) throws ControlFailure {
        for (String key : config.keySet()) {
            if (!known.contains(key)) {
                throw ControlFailure.invalid("config." + key, "unknown field; known: " + String.join(", ",
                        known.stream().sorted().toList()));
            }
        }
        String configName = optionalText(config, "name");
        if (configName != null && !configName.equals(name)) {
            throw ControlFailure.invalid("config.name", "must be the profile's name \"" + name + "\", got \""
                    + configName + "\"");
        }
    }

    /**
     * How we prove ourselves and check the peer: {@code auth} {@code psk} (the default; {@code localId}
     * and {@code psk} required) or {@code certificate} ({@code cert}, {@code key}, {@code ca} as PEM).
     * The PSK or private key goes to {@code secrets}, and {@code publicConfig} shows the marker.
     */
    static IkeProfileAuth authentication(JsonObject config, Map<String, String> storedSecrets,
                                         Map<String, String> secrets, JsonObject publicConfig, List<String> warnings)
            throws ControlFailure {
        String auth = optionalText(config, "auth");
        byte[] psk = null;
        String key = null;
        if (auth == null || auth.equalsIgnoreCase(IkeProfileAuth.PSK)) {
            requiredText(config, "localId", "our IKE identity, e.g. \"alice@example.org\"");
            psk = psk(secret(config, PSK_ID, "the pre-shared key", storedSecrets, secrets, publicConfig));
            if (psk.length < WEAK_PSK_OCTETS) {
                warnings.add("config.psk is shorter than " + WEAK_PSK_OCTETS + " octets: an observer of one"
                        + " exchange can guess it offline (RFC 7296 §2.15); use a long random key");
            }
        } else if (config.has("psk")) {
            throw ControlFailure.invalid("config.psk", "given with auth \"" + auth + "\"; leave it out");
        } else if (config.has(KEY_ID)) {
            key = secret(config, KEY_ID, "our private key (PEM)", storedSecrets, secrets, publicConfig);
        }
        try {
            return IkeProfileAuth.fromPem(auth, psk, optionalText(config, "cert"), key,
                    optionalText(config, "ca"), optionalText(config, "localId"));
        } catch (IkeProfileAuth.InvalidField e) {
            throw ControlFailure.invalid("config." + e.field(), e.getMessage());
        } finally {
            if (psk != null) {
                java.util.Arrays.fill(psk, (byte) 0);
            }
        }
    }

    /** {@code ikeProposals} in strongSwan's keywords; none: PathSec's default suite. */
    static List<IkeSuite> ikeSuites(JsonObject config) throws ControlFailure {
        List<IkeSuite> suites = new ArrayList<>();
        List<String> ike = texts(config, "ikeProposals");
        for (int i = 0; i < ike.size(); i++) {
            try {
                suites.add(IkeProposals.ike(ike.get(i)));
            } catch (IllegalArgumentException e) {
                throw ControlFailure.invalid("config.ikeProposals[" + i + "]", e.getMessage());
            }
        }
        if (suites.isEmpty()) {
            suites.add(IkeSuite.DEFAULT);
        }
        return suites;
    }

    /** {@code espProposals} in strongSwan's keywords; none: AES-256-GCM. Ignored parts become warnings. */
    static List<EspTransform> espTransforms(JsonObject config, List<String> warnings) throws ControlFailure {
        List<EspTransform> esp = new ArrayList<>();
        List<String> espTexts = texts(config, "espProposals");
        for (int i = 0; i < espTexts.size(); i++) {
            try {
                IkeProposals.EspProposal p = IkeProposals.esp(espTexts.get(i));
                if (!p.ignored().isEmpty()) {
                    warnings.add("config.espProposals[" + i + "]: " + p.ignored() + " ignored (no PFS group or"
                            + " ESN choice in PathSec's CHILD_SA proposals)");
                }
                if (!esp.contains(p.transform())) {
                    esp.add(p.transform());
                }
            } catch (IllegalArgumentException e) {
                throw ControlFailure.invalid("config.espProposals[" + i + "]", e.getMessage());
            }
        }
        if (esp.isEmpty()) {
            esp.add(EspTransform.AES_GCM_16_256);
        }
        return esp;
    }

    /** An array of address prefixes (absent: empty), each checked. */
    static List<String> prefixes(JsonObject config, String key) throws ControlFailure {
        List<String> prefixes = texts(config, key);
        for (int i = 0; i < prefixes.size(); i++) {
            try {
                AddressRange.parse(prefixes.get(i));
            } catch (IllegalArgumentException e) {
                throw ControlFailure.invalid("config." + key + "[" + i + "]", e.getMessage());
            }
        }
        return prefixes;
    }

    /** {@code tun}: a Linux interface name, at most one {@code %d}; absent: {@code fallback}. */
    static String tunName(JsonObject config, String fallback) throws ControlFailure {
        String tun = optionalText(config, "tun");
        if (tun == null) {
            return fallback;
        }
        if (!tun.matches("[A-Za-z0-9_.%-]{1,15}") || tun.chars().filter(c -> c == '%').count() > 1) {
            throw ControlFailure.invalid("config.tun", "a Linux interface name (1-15 letters, digits, '_', '.',"
                    + " '-', at most one %d), got \"" + tun + "\"");
        }
        return tun;
    }

    /** {@code ikeFragmentation} (default on) and {@code ikeFragmentSize} (RFC 7383). */
    static IkeFragmentPolicy fragmentation(JsonObject config) throws ControlFailure {
        long fragmentSize = number(config, "ikeFragmentSize", 0, 0, IkeFragmentPolicy.MAX_SIZE);
        if (fragmentSize != 0 && fragmentSize < IkeFragmentPolicy.MIN_SIZE) {
            throw ControlFailure.invalid("config.ikeFragmentSize", "must be 0 (from the path MTU) or "
                    + IkeFragmentPolicy.MIN_SIZE + "-" + IkeFragmentPolicy.MAX_SIZE + ", got " + fragmentSize);
        }
        return IkeTunnelService.fragmentation(flag(config, "ikeFragmentation", true), (int) fragmentSize);
    }

    static IkeSessionTimers timers(JsonObject config) throws ControlFailure {
        IkeSessionTimers d = IkeSessionTimers.DEFAULT;
        Duration ike = Duration.ofSeconds(number(config, "ikeRekeySeconds", d.ikeRekeyTime().toSeconds(), 0, 86400 * 7));
        Duration child = Duration.ofSeconds(number(config, "childRekeySeconds", d.childRekeyTime().toSeconds(), 0,
                86400 * 7));
        Duration dpd = Duration.ofSeconds(number(config, "dpdDelaySeconds", d.dpdDelay().toSeconds(), 0, 3600));
        // strongSwan's jitter: a tenth of the shortest rekey time that is on.
        Duration shortest = d.ikeRekeyTime();
        for (Duration x : List.of(ike, child)) {
            if (!x.isZero() && x.compareTo(shortest) < 0) {
                shortest = x;
            }
        }
        Duration keepalive = Duration.ofSeconds(number(config, "natKeepaliveSeconds", d.natKeepalive().toSeconds(), 0,
                3600));
        try {
            return d.withRekey(ike, child, shortest.dividedBy(10))
                    .withDpd(dpd, d.retransmitInitial(), d.retransmitSends()).withNatKeepalive(keepalive);
        } catch (IllegalArgumentException e) {
            throw ControlFailure.invalid("config.ikeRekeySeconds", e.getMessage());
        }
    }

    /**
     * A write-only field (docs/control-api.md, "Secrets"): its value, or the stored one
     * when the client sends the stored-secret marker; kept apart and shown as the marker.
     */
    private static String secret(JsonObject config, String field, String what, Map<String, String> stored,
                                 Map<String, String> secrets, JsonObject publicConfig) throws ControlFailure {
        String text = requiredText(config, field, what);
        if (text.equals(ControlProtocol.STORED_SECRET)) {
            text = stored.get(field);
            if (text == null) {
                throw ControlFailure.invalid("config." + field, "no key is stored for this profile; send the key itself");
            }
        }
        secrets.put(field, text);
        publicConfig.addProperty(field, ControlProtocol.STORED_SECRET);
        return text;
    }

    /** The PSK's octets: strongSwan's {@code 0x} hex and {@code 0s} base64 forms, else UTF-8 text. */
    static byte[] psk(String text) throws ControlFailure {
        try {
            if (text.startsWith("0x")) {
                return HexFormat.of().parseHex(text.substring(2));
            }
            if (text.startsWith("0s")) {
                return Base64.getDecoder().decode(text.substring(2));
            }
        } catch (IllegalArgumentException e) {
            // The value is secret: name the form, never the content.
            throw ControlFailure.invalid("config.psk", "starts with " + text.substring(0, 2) + " but is not valid "
                    + (text.startsWith("0x") ? "hex" : "base64"));
        }
        if (text.isEmpty()) {
            throw ControlFailure.invalid("config.psk", "must not be empty");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static IkeIdentity identity(String field, String text) throws ControlFailure {
        try {
            return new IkeIdentity(text);
        } catch (IllegalArgumentException e) {
            throw ControlFailure.invalid(field, e.getMessage());
        }
    }

    static InetAddress address(String field, String text) throws ControlFailure {
        try {
            return AddressRange.parseAddress(text);
        } catch (IllegalArgumentException e) {
            throw ControlFailure.invalid(field, "not an IP address: " + e.getMessage());
        }
    }

    static String requiredText(JsonObject config, String key, String what) throws ControlFailure {
        String text = optionalText(config, key);
        if (text == null || text.isBlank()) {
            throw ControlFailure.invalid("config." + key, "missing; " + what);
        }
        return text;
    }

    static String optionalText(JsonObject config, String key) throws ControlFailure {
        JsonElement e = config.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw ControlFailure.invalid("config." + key, "must be a string");
        }
        return e.getAsString().trim();
    }

    static List<String> texts(JsonObject config, String key) throws ControlFailure {
        JsonElement e = config.get(key);
        if (e == null || e.isJsonNull()) {
            return List.of();
        }
        if (!e.isJsonArray()) {
            throw ControlFailure.invalid("config." + key, "must be an array of strings");
        }
        JsonArray a = e.getAsJsonArray();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonElement x = a.get(i);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                throw ControlFailure.invalid("config." + key + "[" + i + "]", "must be a string");
            }
            out.add(x.getAsString().trim());
        }
        return out;
    }

    static boolean flag(JsonObject config, String key, boolean fallback) throws ControlFailure {
        JsonElement e = config.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw ControlFailure.invalid("config." + key, "must be true or false");
        }
        return e.getAsBoolean();
    }

    static long number(JsonObject config, String key, long fallback, long min, long max)
            throws ControlFailure {
        JsonElement e = config.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        JsonPrimitive p = e.isJsonPrimitive() ? e.getAsJsonPrimitive() : null;
        if (p == null || !p.isNumber() || p.getAsDouble() != Math.rint(p.getAsDouble())) {
            throw ControlFailure.invalid("config." + key, "must be a whole number");
        }
        long v = p.getAsLong();
        if (v < min || v > max) {
            throw ControlFailure.invalid("config." + key, "must be " + min + "-" + max + ", got " + v);
        }
        return v;
    }

    @Override
    public List<String> secretPaths(JsonObject publicConfig) {
        return publicConfig.has(PSK_ID) ? List.of(PSK_ID) : publicConfig.has(KEY_ID) ? List.of(KEY_ID) : List.of();
    }
}
