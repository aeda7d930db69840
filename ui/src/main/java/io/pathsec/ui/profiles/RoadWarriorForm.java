package io.pathsec.ui.profiles;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ControlProtocol;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A road-warrior profile (IKEv2 with a pre-shared key, docs/control-api.md "IKEv2 profiles"):
 * the gateway, who we are, who the gateway must be, the PSK, and what goes through the tunnel.
 * Proposals and timers keep the daemon's defaults (or the loaded profile's values, which the
 * form edits a copy of).
 */
public final class RoadWarriorForm {
    /** RFC 7296 §2.15: a PSK shorter than this can be guessed offline from one captured exchange. */
    static final int MIN_PSK_CHARS = 16;
    /** strongSwan's proposal syntax: algorithm keywords joined by '-' (the daemon checks the keywords). */
    private static final Pattern PROPOSAL = Pattern.compile("[A-Za-z0-9]+(-[A-Za-z0-9]+)*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    public final FormField name = new FormField(StaticKeyRules::name);
    public final FormField gateway = new FormField(RoadWarriorForm::gateway);
    public final FormField identity = new FormField(v -> v.isEmpty()
            ? "Required: how this computer identifies itself, like alice@example.org or a host name." : null);
    public final FormField remoteId = new FormField(v -> null);
    public final FormField psk = new FormField(v -> v.isEmpty() && (keepsStoredPsk() || certificateProfile()) ? null
            : v.length() >= MIN_PSK_CHARS ? null
            : "Use at least " + MIN_PSK_CHARS + " characters: a short pre-shared key can be guessed offline "
            + "(RFC 7296 §2.15).");
    /** Empty: the daemon's defaults (docs/control-api.md, "IKEv2 profiles"). */
    public final FormField ikeProposals = new FormField(RoadWarriorForm::proposals);
    public final FormField espProposals = new FormField(RoadWarriorForm::proposals);
    public final FormField splitRoutes = new FormField(v -> splitTunnel() && !hostToHost() ? splitRoutes(v) : null);
    private final BooleanProperty fullTunnel = new SimpleBooleanProperty(this, "fullTunnel", true);
    /** Host to host with IKEv2: transport mode between this computer and the peer, no networks to choose. */
    private final BooleanProperty hostToHost = new SimpleBooleanProperty(this, "hostToHost");
    private final BooleanProperty keepsStoredPsk = new SimpleBooleanProperty(this, "keepsStoredPsk");
    private JsonObject base = new JsonObject();

    public RoadWarriorForm() {
        fullTunnel.addListener((o, was, now) -> splitRoutes.revalidate());
        hostToHost.addListener((o, was, now) -> splitRoutes.revalidate());
    }

    /**
     * Transport mode (RFC 7296 §1.3.1, USE_TRANSPORT_MODE): the two hosts protect the traffic
     * between their own addresses; the gateway field names the peer host.
     */
    public BooleanProperty hostToHostProperty() {
        return hostToHost;
    }

    private boolean hostToHost() {
        return hostToHost.get();
    }

    /** Whether a stored IKEv2 profile is host to host ({@code "mode": "transport"}). */
    public static boolean isHostToHost(JsonObject config) {
        return "transport".equalsIgnoreCase(text(config, "mode"));
    }

    public BooleanProperty fullTunnelProperty() {
        return fullTunnel;
    }

    public BooleanProperty keepsStoredPskProperty() {
        return keepsStoredPsk;
    }

    private boolean splitTunnel() {
        return !fullTunnel.get();
    }

    /** A loaded profile with {@code "auth": "certificate"}: the form edits it without a PSK. */
    private boolean certificateProfile() {
        JsonElement auth = base.get("auth");
        return auth != null && auth.isJsonPrimitive() && "certificate".equalsIgnoreCase(auth.getAsString());
    }

    private boolean keepsStoredPsk() {
        return keepsStoredPsk.get();
    }

    public List<FormField> fields() {
        return List.of(name, gateway, identity, remoteId, psk, splitRoutes, ikeProposals, espProposals);
    }

    public void clear() {
        base = new JsonObject();
        keepsStoredPsk.set(false);
        fields().forEach(f -> f.reset(""));
        fullTunnel.set(true);
    }

    /** Fills the form from a stored profile; the PSK comes back as {@code @stored} and shows empty. */
    public void load(String profileName, JsonObject config) {
        base = config.deepCopy();
        keepsStoredPsk.set(true);
        name.reset(profileName);
        gateway.reset(text(config, "gateway"));
        identity.reset(text(config, "localId"));
        remoteId.reset(text(config, "remoteId"));
        String secret = text(config, "psk");
        psk.reset(ControlProtocol.STORED_SECRET.equals(secret) ? "" : secret);
        hostToHost.set(isHostToHost(config));
        loadProposals(config, ikeProposals, espProposals);
        String routes = joined(config, "remoteTs");
        fullTunnel.set(routes.isEmpty());
        splitRoutes.reset(routes);
    }

    public boolean validate() {
        return FormField.revalidateAll(fields());
    }

    /**
     * The IKEv2 document. A full tunnel asks for every destination (no {@code remoteTs}) and takes
     * what the gateway narrows it to; a split tunnel asks for the listed networks only.
     */
    public JsonObject toConfig() {
        JsonObject c = base.deepCopy();
        c.addProperty("gateway", gateway.value());
        c.addProperty("localId", identity.value());
        if (remoteId.value().isEmpty()) {
            c.remove("remoteId");
        } else {
            c.addProperty("remoteId", remoteId.value());
        }
        if (!certificateProfile()) {
            c.addProperty("psk", psk.value().isEmpty() ? ControlProtocol.STORED_SECRET : psk.value());
        } // else: cert, ca and the stored key come back as loaded (docs/certificates.md)
        putProposals(c, ikeProposals, espProposals);
        if (hostToHost.get()) {
            c.addProperty("mode", "transport");
        } else {
            c.remove("mode");
        }
        if (fullTunnel.get() || hostToHost.get()) {
            c.remove("remoteTs"); // host to host: the selectors are the two hosts, as IKE derives them
        } else {
            c.add("remoteTs", array(splitRoutes.value()));
        }
        return c;
    }

    /** The input a daemon field path points at, as {@link StaticKeyForm#fieldFor}. */
    public Optional<FormField> fieldFor(String path) {
        if (path == null) {
            return Optional.empty();
        }
        Map<String, FormField> byPath = new LinkedHashMap<>();
        byPath.put("name", name);
        byPath.put("config.gateway", gateway);
        byPath.put("config.localId", identity);
        byPath.put("config.remoteId", remoteId);
        byPath.put("config.psk", psk);
        byPath.put("config.remoteTs", splitRoutes);
        byPath.put("config.ikeProposals", ikeProposals);
        byPath.put("config.espProposals", espProposals);
        return FormField.owner(byPath, path);
    }

    static String gateway(String v) {
        if (v.isEmpty()) {
            return "Required: the gateway's host name or IP address.";
        }
        return StaticKeyRules.isAddress(v) || HOST.matcher(v).matches() ? null
                : "Not a host name or IP address.";
    }

    /** A comma-separated list of proposals; empty keeps the daemon's defaults. */
    static String proposals(String v) {
        for (String p : v.split(",")) {
            if (!p.isBlank() && !PROPOSAL.matcher(p.trim()).matches()) {
                return "'" + p.trim() + "' is not a proposal: algorithms joined by '-', like"
                        + " aes256gcm16-prfsha256-curve25519; separate proposals with commas.";
            }
        }
        return null;
    }

    /** Both forms' proposal fields from a stored document. */
    static void loadProposals(JsonObject config, FormField ike, FormField esp) {
        ike.reset(joined(config, "ikeProposals"));
        esp.reset(joined(config, "espProposals"));
    }

    /** Both forms' proposal fields into a document; an empty field leaves the daemon's default. */
    static void putProposals(JsonObject c, FormField ike, FormField esp) {
        for (var e : Map.of("ikeProposals", ike, "espProposals", esp).entrySet()) {
            if (e.getValue().value().isEmpty()) {
                c.remove(e.getKey());
            } else {
                c.add(e.getKey(), array(e.getValue().value()));
            }
        }
    }

    static String splitRoutes(String v) {
        if (v.isEmpty()) {
            return "A split tunnel needs the networks to send through it, like 10.0.0.0/8.";
        }
        return StaticKeyRules.prefixes(v);
    }

    /** A comma-separated list as a JSON array of its trimmed, non-empty items. */
    static JsonArray array(String commaSeparated) {
        JsonArray a = new JsonArray();
        Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(a::add);
        return a;
    }

    /** A JSON array member as a comma-separated list; empty when absent. */
    static String joined(JsonObject o, String member) {
        JsonElement e = o.get(member);
        if (e == null || !e.isJsonArray()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        e.getAsJsonArray().forEach(x -> out.append(out.length() == 0 ? "" : ", ").append(x.getAsString()));
        return out.toString();
    }

    static String text(JsonObject o, String member) {
        JsonElement e = o.get(member);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }
}
