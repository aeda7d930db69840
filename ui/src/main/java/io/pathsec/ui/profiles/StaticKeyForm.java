package io.pathsec.ui.profiles;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.pathsec.engine.control.api.ControlProtocol;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of a static-key profile (docs/static-keys.md) as a form: one outbound and one
 * inbound SA, one protect policy. A loaded profile keeps whatever the form does not show (more
 * SAs, more policies, TFC padding), because the form edits a copy of the loaded document.
 */
public final class StaticKeyForm {
    public final FormField name = new FormField(StaticKeyRules::name);
    public final FormField device = new FormField(StaticKeyRules::device);
    public final FormField mtu = new FormField(StaticKeyRules::mtu);
    public final FormField addresses = new FormField(StaticKeyRules::prefixes);
    public final FormField routes = new FormField(StaticKeyRules::prefixes);
    public final FormField listenAddress = new FormField(StaticKeyRules::address);
    public final FormField listenPort = new FormField(StaticKeyRules::port);
    public final FormField peerAddress = new FormField(v -> Optional.ofNullable(StaticKeyRules.address(v))
            .orElseGet(() -> StaticKeyRules.sameFamily(listenAddress.value(), v)));
    public final FormField peerPort = new FormField(StaticKeyRules::port);
    public final FormField outSpi = new FormField(StaticKeyRules::spi);
    public final FormField outKey = new FormField(v -> StaticKeyRules.key(v, transform(), keepsStoredKeys()));
    public final FormField inSpi = new FormField(StaticKeyRules::spi);
    public final FormField inKey = new FormField(v -> StaticKeyRules.key(v, transform(), keepsStoredKeys()));
    public final FormField localSelector = new FormField(StaticKeyRules::selector);
    public final FormField remoteSelector = new FormField(StaticKeyRules::selector);

    private final ObjectProperty<String> mode = new SimpleObjectProperty<>(this, "mode", "tunnel");
    private final ObjectProperty<String> transform = new SimpleObjectProperty<>(this, "transform", "aes256gcm16");
    /** True while editing a stored profile: empty key fields keep the daemon's keys. */
    private final BooleanProperty keepsStoredKeys = new SimpleBooleanProperty(this, "keepsStoredKeys");
    /**
     * Host to host: transport mode between the two endpoints (RFC 4301 §4.1), whose only PROTECT
     * policy is the pair of endpoint addresses, so the form derives it instead of asking.
     */
    private final BooleanProperty hostToHost = new SimpleBooleanProperty(this, "hostToHost");
    private JsonObject base = new JsonObject();

    public StaticKeyForm() {
        hostToHost.addListener((o, was, now) -> {
            if (now) {
                mode.set("transport");
            }
        });
        // The key length depends on the transform: re-judge keys the user already typed.
        transform.addListener((o, was, now) -> {
            for (FormField key : List.of(outKey, inKey)) {
                if (!key.value().isEmpty()) {
                    key.revalidate();
                }
            }
        });
        clear();
    }

    public ObjectProperty<String> modeProperty() {
        return mode;
    }

    public BooleanProperty hostToHostProperty() {
        return hostToHost;
    }

    /**
     * True for a stored transport-mode document whose policy is exactly its two endpoints: the
     * host-to-host form can show it without hiding anything it holds.
     */
    public static boolean isHostToHost(JsonObject config) {
        JsonObject policy = firstPolicy(config);
        JsonArray policies = config.has("policies") && config.get("policies").isJsonArray()
                ? config.getAsJsonArray("policies") : new JsonArray();
        return "transport".equals(text(config, "mode")) && policies.size() == 1
                && text(policy, "local").equals(text(object(config, "listen"), "address"))
                && text(policy, "remote").equals(text(object(config, "peer"), "address"));
    }

    public ObjectProperty<String> transformProperty() {
        return transform;
    }

    public BooleanProperty keepsStoredKeysProperty() {
        return keepsStoredKeys;
    }

    public static List<String> modes() {
        return List.of("tunnel", "transport");
    }

    public static List<String> transforms() {
        return StaticKeyRules.TRANSFORMS;
    }

    private String transform() {
        return transform.get();
    }

    private boolean keepsStoredKeys() {
        return keepsStoredKeys.get();
    }

    /** Every input, for "validate all" and for mapping the daemon's field paths. */
    public List<FormField> fields() {
        return List.of(name, device, mtu, addresses, routes, listenAddress, listenPort, peerAddress, peerPort,
                outSpi, outKey, inSpi, inKey, localSelector, remoteSelector);
    }

    /** A new profile with the defaults of docs/static-keys.md. */
    public void clear() {
        base = new JsonObject();
        keepsStoredKeys.set(false);
        mode.set("tunnel");
        transform.set("aes256gcm16");
        fields().forEach(f -> f.reset(""));
        device.reset("pathsec0");
        mtu.reset("1400");
        listenPort.reset("4500");
        peerPort.reset("4500");
    }

    /** Fills the form from a stored profile's config; keys come back as {@code @stored} and show empty. */
    public void load(JsonObject config) {
        base = config.deepCopy();
        keepsStoredKeys.set(true);
        name.reset(text(config, "name"));
        JsonObject tun = object(config, "tun");
        device.reset(text(tun, "name"));
        mtu.reset(text(tun, "mtu"));
        addresses.reset(list(tun, "addresses"));
        routes.reset(list(tun, "routes"));
        listenAddress.reset(text(object(config, "listen"), "address"));
        listenPort.reset(text(object(config, "listen"), "port"));
        peerAddress.reset(text(object(config, "peer"), "address"));
        peerPort.reset(text(object(config, "peer"), "port"));
        mode.set(Optional.ofNullable(text(config, "mode")).filter(s -> !s.isEmpty()).orElse("tunnel"));
        JsonObject out = sa(config, "out");
        JsonObject in = sa(config, "in");
        transform.set(Optional.ofNullable(text(out, "transform")).filter(s -> !s.isEmpty()).orElse("aes256gcm16"));
        outSpi.reset(text(out, "spi"));
        inSpi.reset(text(in, "spi"));
        outKey.reset(keyText(out));
        inKey.reset(keyText(in));
        JsonObject policy = firstPolicy(config);
        localSelector.reset(text(policy, "local"));
        remoteSelector.reset(text(policy, "remote"));
    }

    /**
     * Fills the form from a stored profile as the start of a new one. Keys are write-only, so a
     * copy cannot take them over: the user types them again.
     */
    public void loadAsCopy(JsonObject config, String newName) {
        load(config);
        keepsStoredKeys.set(false);
        name.reset(newName);
        // Two tunnels must never share keys: with AES-GCM both would reuse nonces under one key.
        outKey.reset("");
        inKey.reset("");
    }

    /** Runs every field's rule; true when the form may be sent. */
    public boolean validate() {
        boolean ok = true;
        for (FormField f : fields()) {
            if (hostToHost.get() && (f == localSelector || f == remoteSelector)) {
                continue; // derived from the endpoints in toConfig
            }
            ok &= f.revalidate();
        }
        return ok;
    }

    /** The static-key document the daemon stores, built from the loaded document or a fresh one. */
    public JsonObject toConfig() {
        JsonObject c = base.deepCopy();
        c.addProperty("name", name.value());
        JsonObject tun = child(c, "tun");
        putText(tun, "name", device.value());
        putNumber(tun, "mtu", mtu.value());
        tun.add("addresses", array(addresses.value()));
        tun.add("routes", array(routes.value()));
        JsonObject listen = child(c, "listen");
        listen.addProperty("address", listenAddress.value());
        putNumber(listen, "port", listenPort.value());
        JsonObject peer = child(c, "peer");
        peer.addProperty("address", peerAddress.value());
        putNumber(peer, "port", peerPort.value());
        c.addProperty("mode", mode.get());
        JsonArray sas = c.has("sas") && c.get("sas").isJsonArray() ? c.getAsJsonArray("sas") : new JsonArray();
        c.add("sas", sas);
        fillSa(sas, "out", outSpi, outKey);
        fillSa(sas, "in", inSpi, inKey);
        JsonArray policies = c.has("policies") && c.get("policies").isJsonArray() ? c.getAsJsonArray("policies")
                : new JsonArray();
        c.add("policies", policies);
        if (policies.isEmpty()) {
            JsonObject p = new JsonObject();
            p.addProperty("protocol", "any");
            p.addProperty("action", "protect");
            policies.add(p);
        }
        JsonObject policy = policies.get(0).getAsJsonObject();
        boolean hosts = hostToHost.get();
        policy.addProperty("local", hosts ? listenAddress.value() : localSelector.value());
        policy.addProperty("remote", hosts ? peerAddress.value() : remoteSelector.value());
        return c;
    }

    private void fillSa(JsonArray sas, String direction, FormField spi, FormField key) {
        JsonObject sa = null;
        for (JsonElement e : sas) {
            if (e.isJsonObject() && direction.equals(text(e.getAsJsonObject(), "direction"))) {
                sa = e.getAsJsonObject();
                break;
            }
        }
        if (sa == null) {
            sa = new JsonObject();
            sa.addProperty("direction", direction);
            sas.add(sa);
        }
        sa.addProperty("spi", spi.value());
        sa.addProperty("transform", transform.get());
        // An empty key on an edited profile keeps the stored one: the write-only secret protocol.
        sa.addProperty("key", key.value().isEmpty() ? ControlProtocol.STORED_SECRET : key.value().replaceAll("\\s", ""));
    }

    /**
     * The input that a daemon field path (like {@code config.sas[1].key}) points at, for
     * INVALID_PROFILE. Paths the form does not show map to nothing; the caller then shows the
     * message above the form.
     */
    public Optional<FormField> fieldFor(String path) {
        if (path == null) {
            return Optional.empty();
        }
        // Walk up the path ("tun.addresses[2]" → "tun.addresses" → "tun") until a field owns it.
        return FormField.owner(paths(), path.startsWith("config.") ? path.substring("config.".length()) : path);
    }

    private Map<String, FormField> paths() {
        Map<String, FormField> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("tun.name", device);
        m.put("tun.mtu", mtu);
        m.put("tun.addresses", addresses);
        m.put("tun.routes", routes);
        m.put("listen.address", listenAddress);
        m.put("listen", listenAddress);
        m.put("listen.port", listenPort);
        m.put("peer.address", peerAddress);
        m.put("peer", peerAddress);
        m.put("peer.port", peerPort);
        m.put("policies[0].local", localSelector);
        m.put("policies[0].remote", remoteSelector);
        m.put("policies[0]", localSelector);
        m.put("policies", localSelector);
        int outIndex = indexOf("out");
        int inIndex = indexOf("in");
        for (String field : List.of("spi", "key", "transform", "")) {
            String suffix = field.isEmpty() ? "" : "." + field;
            FormField outTarget = field.equals("key") ? outKey : outSpi;
            FormField inTarget = field.equals("key") ? inKey : inSpi;
            m.put("sas[" + outIndex + "]" + suffix, outTarget);
            m.put("sas[" + inIndex + "]" + suffix, inTarget);
        }
        m.put("sas", outSpi);
        return m;
    }

    /** Where the daemon will find the SA of a direction in the document this form sends. */
    private int indexOf(String direction) {
        JsonArray sas = toConfig().getAsJsonArray("sas");
        for (int i = 0; i < sas.size(); i++) {
            if (direction.equals(text(sas.get(i).getAsJsonObject(), "direction"))) {
                return i;
            }
        }
        return direction.equals("out") ? 0 : 1;
    }

    private static String keyText(JsonObject sa) {
        String key = text(sa, "key");
        return ControlProtocol.STORED_SECRET.equals(key) ? "" : key;
    }

    private static JsonObject sa(JsonObject config, String direction) {
        if (config.has("sas") && config.get("sas").isJsonArray()) {
            for (JsonElement e : config.getAsJsonArray("sas")) {
                if (e.isJsonObject() && direction.equals(text(e.getAsJsonObject(), "direction"))) {
                    return e.getAsJsonObject();
                }
            }
        }
        return new JsonObject();
    }

    private static JsonObject firstPolicy(JsonObject config) {
        if (config.has("policies") && config.get("policies").isJsonArray() && !config.getAsJsonArray("policies").isEmpty()
                && config.getAsJsonArray("policies").get(0).isJsonObject()) {
            return config.getAsJsonArray("policies").get(0).getAsJsonObject();
        }
        return new JsonObject();
    }

    private static JsonObject object(JsonObject o, String member) {
        return o.has(member) && o.get(member).isJsonObject() ? o.getAsJsonObject(member) : new JsonObject();
    }

    private static JsonObject child(JsonObject o, String member) {
        JsonObject c = object(o, member);
        o.add(member, c);
        return c;
    }

    private static String text(JsonObject o, String member) {
        JsonElement e = o.get(member);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }

    private static String list(JsonObject o, String member) {
        JsonElement e = o.get(member);
        if (e == null || !e.isJsonArray()) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (JsonElement item : e.getAsJsonArray()) {
            s.append(s.length() == 0 ? "" : ", ").append(item.getAsString());
        }
        return s.toString();
    }

    private static JsonArray array(String commaSeparated) {
        JsonArray a = new JsonArray();
        Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(a::add);
        return a;
    }

    private static void putText(JsonObject o, String member, String value) {
        if (value.isEmpty()) {
            o.remove(member);
        } else {
            o.addProperty(member, value);
        }
    }

    /** Numbers go out as numbers; text that is not one is sent as is, for the daemon to name. */
    private static void putNumber(JsonObject o, String member, String value) {
        if (value.isEmpty()) {
            o.remove(member);
            return;
        }
        Integer n = StaticKeyRules.integer(value);
        o.add(member, n != null ? new JsonPrimitive(n) : new JsonPrimitive(value));
    }
}
