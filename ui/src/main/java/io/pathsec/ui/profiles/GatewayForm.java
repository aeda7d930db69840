package io.pathsec.ui.profiles;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ControlProtocol;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A gateway profile (kind {@code ikev2-gateway}, docs/control-api.md "Gateway profiles"): where
 * it listens, who it is, the PSK every road warrior uses, the pool their virtual addresses come
 * from and the networks behind it. Proposals and timers keep the daemon's defaults (or a loaded
 * profile's values).
 */
public final class GatewayForm {
    public final FormField name = new FormField(StaticKeyRules::name);
    public final FormField listen = new FormField(StaticKeyRules::address);
    public final FormField identity = new FormField(v -> v.isEmpty()
            ? "Required: how the gateway identifies itself to clients, like vpn.example.org." : null);
    public final FormField psk = new FormField(v -> v.isEmpty() && keepsStoredPsk() ? null
            : v.length() >= RoadWarriorForm.MIN_PSK_CHARS ? null
            : "Use at least " + RoadWarriorForm.MIN_PSK_CHARS + " characters: a short pre-shared key can be guessed"
            + " offline (RFC 7296 §2.15).");
    public final FormField pool = new FormField(v -> pool(v, hostToHostOnly()));
    public final FormField pool6 = new FormField(GatewayForm::pool6);
    public final FormField protectedSubnets = new FormField(v -> v.isEmpty()
            ? "Required: the networks behind the gateway that clients reach, like 10.2.0.0/24."
            : StaticKeyRules.prefixes(v));
    public final FormField dns = new FormField(GatewayForm::addresses);
    /** What the gateway accepts; empty: the daemon's defaults, as for a client. */
    public final FormField ikeProposals = new FormField(RoadWarriorForm::proposals);
    public final FormField espProposals = new FormField(RoadWarriorForm::proposals);
    private final BooleanProperty allowTransportMode = new SimpleBooleanProperty(this, "allowTransportMode");
    private final BooleanProperty keepsStoredPsk = new SimpleBooleanProperty(this, "keepsStoredPsk");
    private JsonObject base = new JsonObject();

    public GatewayForm() {
        allowTransportMode.addListener((o, was, now) -> pool.revalidate());
    }

    /** Host-to-host peers (transport mode) may connect too; a gateway for them only needs no pool. */
    public BooleanProperty allowTransportModeProperty() {
        return allowTransportMode;
    }

    public BooleanProperty keepsStoredPskProperty() {
        return keepsStoredPsk;
    }

    private boolean keepsStoredPsk() {
        return keepsStoredPsk.get();
    }

    private boolean hostToHostOnly() {
        return allowTransportMode.get();
    }

    public List<FormField> fields() {
        return List.of(name, listen, identity, psk, pool, pool6, protectedSubnets, dns, ikeProposals, espProposals);
    }

    public void clear() {
        base = new JsonObject();
        keepsStoredPsk.set(false);
        allowTransportMode.set(false);
        fields().forEach(f -> f.reset(""));
    }

    /** Fills the form from a stored profile; the PSK comes back as {@code @stored} and shows empty. */
    public void load(String profileName, JsonObject config) {
        base = config.deepCopy();
        keepsStoredPsk.set(true);
        name.reset(profileName);
        listen.reset(RoadWarriorForm.text(config, "listen"));
        identity.reset(RoadWarriorForm.text(config, "localId"));
        String secret = RoadWarriorForm.text(config, "psk");
        psk.reset(ControlProtocol.STORED_SECRET.equals(secret) ? "" : secret);
        pool.reset(RoadWarriorForm.text(config, "pool"));
        pool6.reset(RoadWarriorForm.text(config, "pool6"));
        protectedSubnets.reset(RoadWarriorForm.joined(config, "protectedSubnets"));
        dns.reset(RoadWarriorForm.joined(config, "dns"));
        RoadWarriorForm.loadProposals(config, ikeProposals, espProposals);
        JsonElement transport = config.get("allowTransportMode");
        allowTransportMode.set(transport != null && transport.isJsonPrimitive() && transport.getAsBoolean());
    }

    public boolean validate() {
        return FormField.revalidateAll(fields());
    }

    public JsonObject toConfig() {
        JsonObject c = base.deepCopy();
        c.addProperty("listen", listen.value());
        c.addProperty("localId", identity.value());
        c.addProperty("psk", psk.value().isEmpty() ? ControlProtocol.STORED_SECRET : psk.value());
        optional(c, "pool", pool.value());
        optional(c, "pool6", pool6.value());
        c.add("protectedSubnets", RoadWarriorForm.array(protectedSubnets.value()));
        if (dns.value().isEmpty()) {
            c.remove("dns");
        } else {
            c.add("dns", RoadWarriorForm.array(dns.value()));
        }
        RoadWarriorForm.putProposals(c, ikeProposals, espProposals);
        if (allowTransportMode.get()) {
            c.addProperty("allowTransportMode", true);
        } else {
            c.remove("allowTransportMode");
        }
        return c;
    }

    /** The input a daemon field path points at, as {@link StaticKeyForm#fieldFor}. */
    public Optional<FormField> fieldFor(String path) {
        Map<String, FormField> byPath = new LinkedHashMap<>();
        byPath.put("name", name);
        byPath.put("config.listen", listen);
        byPath.put("config.localId", identity);
        byPath.put("config.psk", psk);
        byPath.put("config.pool", pool);
        byPath.put("config.pool6", pool6);
        byPath.put("config.protectedSubnets", protectedSubnets);
        byPath.put("config.dns", dns);
        byPath.put("config.ikeProposals", ikeProposals);
        byPath.put("config.espProposals", espProposals);
        return FormField.owner(byPath, path);
    }

    static String pool(String v, boolean hostToHostOnly) {
        if (v.isEmpty()) {
            return hostToHostOnly ? null
                    : "Required: the network the clients' addresses come from, like 10.201.0.0/24.";
        }
        if (!StaticKeyRules.isPrefix(v) || v.contains(":")) {
            return "Not an IPv4 network; write it like 10.201.0.0/24 (IPv6 goes in the IPv6 pool).";
        }
        return null;
    }

    static String pool6(String v) {
        if (v.isEmpty()) {
            return null;
        }
        return StaticKeyRules.isPrefix(v) && v.contains(":") ? null
                : "Not an IPv6 network; write it like 2001:db8:c::/112, or leave it empty.";
    }

    /** A comma-separated list of addresses; may be empty. */
    static String addresses(String v) {
        if (v.isEmpty()) {
            return null;
        }
        for (String a : v.split(",")) {
            if (!StaticKeyRules.isAddress(a.trim())) {
                return "'" + a.trim() + "' is not an IP address.";
            }
        }
        return null;
    }

    private static void optional(JsonObject c, String member, String value) {
        if (value.isEmpty()) {
            c.remove(member);
        } else {
            c.addProperty(member, value);
        }
    }

}
