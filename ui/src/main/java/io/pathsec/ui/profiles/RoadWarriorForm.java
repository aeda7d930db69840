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
    public final FormField splitRoutes = new FormField(v -> splitTunnel() ? splitRoutes(v) : null);
    private final BooleanProperty fullTunnel = new SimpleBooleanProperty(this, "fullTunnel", true);
    private final BooleanProperty keepsStoredPsk = new SimpleBooleanProperty(this, "keepsStoredPsk");
    private JsonObject base = new JsonObject();

    public RoadWarriorForm() {
        fullTunnel.addListener((o, was, now) -> splitRoutes.revalidate());
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
        return List.of(name, gateway, identity, remoteId, psk, splitRoutes);
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
        JsonElement ts = config.get("remoteTs");
        boolean split = ts != null && ts.isJsonArray() && !ts.getAsJsonArray().isEmpty();
        fullTunnel.set(!split);
        StringBuilder routes = new StringBuilder();
        if (split) {
            ts.getAsJsonArray().forEach(e -> routes.append(routes.length() == 0 ? "" : ", ").append(e.getAsString()));
        }
        splitRoutes.reset(routes.toString());
    }

    public boolean validate() {
        boolean ok = true;
        for (FormField f : fields()) {
            ok &= f.revalidate();
        }
        return ok;
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
        if (fullTunnel.get()) {
            c.remove("remoteTs");
        } else {
            JsonArray ts = new JsonArray();
            Arrays.stream(splitRoutes.value().split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(ts::add);
            c.add("remoteTs", ts);
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
        String p = path;
        for (int guard = 0; guard < 8 && !p.isEmpty(); guard++) {
            FormField f = byPath.get(p);
            if (f != null) {
                return Optional.of(f);
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                break;
            }
            p = p.substring(0, cut);
        }
        return Optional.empty();
    }

    static String gateway(String v) {
        if (v.isEmpty()) {
            return "Required: the gateway's host name or IP address.";
        }
        return StaticKeyRules.isAddress(v) || HOST.matcher(v).matches() ? null
                : "Not a host name or IP address.";
    }

    static String splitRoutes(String v) {
        if (v.isEmpty()) {
            return "A split tunnel needs the networks to send through it, like 10.0.0.0/8.";
        }
        return StaticKeyRules.prefixes(v);
    }

    private static String text(JsonObject o, String member) {
        JsonElement e = o.get(member);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }
}
