package io.pathsec.engine.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.pathsec.engine.control.api.ControlProtocol;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.ProfileKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a strongSwan Android profile ({@code .sswan}: JSON with {@code uuid}, {@code name},
 * {@code type}, {@code remote.addr}, {@code remote.id}, {@code local.id}, {@code ike-proposal},
 * {@code esp-proposal}, {@code split-tunneling.subnets}, {@code mtu}, …, nested objects for the
 * dotted keys) into an {@code ikev2-psk} config document. PathSec authenticates with a PSK only
 * for now, so the certificate and EAP types are refused by name; options that do not apply are
 * named in warnings rather than silently dropped. The file carries no PSK: it comes separately.
 */
final class SswanImport {
    /** strongSwan's client authentication types, in words, for the refusal. */
    private static final Map<String, String> UNSUPPORTED_TYPES = Map.of(
            "ikev2-eap", "username/password EAP",
            "ikev2-cert", "client certificate",
            "ikev2-cert-eap", "client certificate followed by EAP",
            "ikev2-eap-tls", "EAP-TLS",
            "ikev2-byod-eap", "EAP-TNC/BYOD");
    /** PathSec's own type: strongSwan's app has no PSK profiles, but the format carries one well. */
    static final String PSK_TYPE = "ikev2-psk";
    private static final Set<String> IGNORED_WITH_WARNING = Set.of("dns-servers", "nat-keepalive", "apps",
            "excluded-apps", "proxy", "flags", "selected-apps");

    /** The converted profile: its name, config document and what the user should hear. */
    record Converted(String name, ProfileKind kind, JsonObject config, List<String> warnings) {
    }

    private SswanImport() {
    }

    /**
     * @param name null to take the file's {@code name}, made into a valid profile name
     * @param psk  null to keep a stored PSK ({@code replacing}) or to fail naming the option
     */
    static Converted convert(String content, String name, String psk, boolean replacing) throws ControlFailure {
        JsonObject file = parse(content);
        List<String> warnings = new ArrayList<>();
        String type = text(file, "type");
        if (type == null) {
            throw invalid("type", "missing; PathSec imports type \"" + PSK_TYPE + "\"");
        }
        if (UNSUPPORTED_TYPES.containsKey(type)) {
            throw invalid("type", "\"" + type + "\" (" + UNSUPPORTED_TYPES.get(type) + ") is not supported by"
                    + " PathSec yet; it imports \"" + PSK_TYPE + "\" profiles only");
        }
        if (!type.equals(PSK_TYPE)) {
            throw invalid("type", "unknown type \"" + type + "\"; PathSec imports \"" + PSK_TYPE + "\" profiles");
        }
        JsonObject remote = object(file, "remote");
        JsonObject local = object(file, "local");
        String gateway = text(remote, "addr");
        if (gateway == null) {
            throw invalid("remote.addr", "missing; the gateway's address or DNS name");
        }
        String localId = text(local, "id");
        if (localId == null) {
            throw invalid("local.id", "missing; a PSK profile needs our IKE identity");
        }
        JsonObject config = new JsonObject();
        config.addProperty("gateway", gateway);
        config.addProperty("localId", localId);
        // strongSwan's app: without remote.id the gateway must identify as remote.addr.
        String remoteId = text(remote, "id");
        config.addProperty("remoteId", remoteId != null ? remoteId : gateway);
        if (psk != null) {
            config.addProperty("psk", psk);
        } else if (replacing) {
            config.addProperty("psk", ControlProtocol.STORED_SECRET);
        } else {
            throw invalid("psk", ".sswan files carry no pre-shared key; give it with the import"
                    + " (pathsec profiles import FILE --psk-file KEYFILE)");
        }
        String port = text(remote, "port");
        if (port != null && !port.equals("500")) {
            warnings.add("remote.port " + port + " ignored: PathSec talks IKE on 500 and 4500");
        }
        for (String key : List.of("cert", "certreq", "revocation", "revocation.crl", "revocation.ocsp")) {
            if (remote != null && remote.has(key)) {
                warnings.add("remote." + key + " ignored: with a PSK the gateway proves itself with the key");
            }
        }
        if (local != null && (local.has("p12") || local.has("rsa-pss"))) {
            warnings.add("local.p12/local.rsa-pss ignored: a PSK profile uses no client certificate");
        }
        copyProposal(file, "ike-proposal", config, "ikeProposals");
        copyProposal(file, "esp-proposal", config, "espProposals");
        JsonObject split = object(file, "split-tunneling");
        if (split != null) {
            String subnets = text(split, "subnets");
            if (subnets != null && !subnets.isBlank()) {
                JsonArray ts = new JsonArray();
                for (String s : subnets.trim().split("[\\s,]+")) {
                    ts.add(s);
                }
                config.add("remoteTs", ts);
            }
            for (String key : List.of("excluded", "block-ipv4", "block-ipv6")) {
                if (split.has(key)) {
                    warnings.add("split-tunneling." + key + " ignored: not supported by PathSec yet");
                }
            }
        }
        JsonElement mtu = file.get("mtu");
        if (mtu != null && mtu.isJsonPrimitive()) {
            try {
                config.addProperty("mtu", Integer.parseInt(mtu.getAsString().trim()));
            } catch (NumberFormatException e) {
                throw invalid("mtu", "not a number: " + mtu);
            }
        }
        for (String key : file.keySet()) {
            if (IGNORED_WITH_WARNING.contains(key)) {
                warnings.add(key + " ignored: not supported by PathSec");
            } else if (!Set.of("uuid", "name", "type", "remote", "local", "ike-proposal", "esp-proposal",
                    "split-tunneling", "mtu").contains(key)) {
                warnings.add("unknown key " + key + " ignored");
            }
        }
        String profileName = name != null ? name : profileName(text(file, "name"), text(file, "uuid"));
        return new Converted(profileName, ProfileKind.IKEV2_PSK, config, warnings);
    }

    /** A display name such as "Office VPN (Berlin)" as a profile name: "Office-VPN-Berlin". */
    static String profileName(String displayName, String uuid) throws ControlFailure {
        String source = displayName != null && !displayName.isBlank() ? displayName : uuid;
        if (source == null) {
            throw invalid("name", "missing, and no uuid either; give the profile a name (--name)");
        }
        String n = source.replaceAll("[^A-Za-z0-9_.-]+", "-").replaceAll("^[-._]+|-+$", "");
        if (n.isEmpty()) {
            throw invalid("name", "\"" + source + "\" has no letters or digits to name a profile; give one (--name)");
        }
        return n.length() > 63 ? n.substring(0, 63) : n;
    }

    private static void copyProposal(JsonObject file, String key, JsonObject config, String target)
            throws ControlFailure {
        String p = text(file, key);
        if (p != null && !p.isBlank()) {
            JsonArray list = new JsonArray();
            for (String one : p.split(",")) {
                list.add(one.trim());
            }
            config.add(target, list);
        }
    }

    private static JsonObject parse(String content) throws ControlFailure {
        if (content == null) {
            throw new ControlFailure(ErrorCode.BAD_REQUEST, "params.content (the file's text) is missing");
        }
        try {
            JsonElement e = JsonParser.parseString(content);
            if (!e.isJsonObject()) {
                throw invalid("", "not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw invalid("", "not valid JSON: " + e.getMessage());
        }
    }

    private static JsonObject object(JsonObject o, String key) throws ControlFailure {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw invalid(key, "must be an object");
        }
        return e.getAsJsonObject();
    }

    private static String text(JsonObject o, String key) throws ControlFailure {
        if (o == null) {
            return null;
        }
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive()) {
            throw invalid(key, "must be a string");
        }
        return e.getAsString().trim();
    }

    /** The field as the user knows it: a key of the .sswan file. */
    private static ControlFailure invalid(String key, String problem) {
        return ControlFailure.invalid(key.isEmpty() ? "sswan" : "sswan." + key, problem);
    }
}
