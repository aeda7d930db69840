package io.pathsec.ui.profiles;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The fields of a road-warrior (IKEv2) profile: the gateway, who we are, the pre-shared key and
 * what goes through the tunnel. The daemon has no IKEv2 profile kind yet, so this form checks
 * its fields but cannot be saved; it is here so the layout and rules exist when the kind lands.
 */
public final class RoadWarriorForm {
    /** Shorter PSKs fall to offline guessing once an IKE_AUTH exchange is captured (RFC 7296 §2.15). */
    static final int MIN_PSK_CHARS = 20;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    public final FormField gateway = new FormField(RoadWarriorForm::gateway);
    public final FormField identity = new FormField(v -> v.isEmpty()
            ? "Required: how this computer identifies itself, like an e-mail address or a host name." : null);
    public final FormField psk = new FormField(v -> v.length() >= MIN_PSK_CHARS ? null
            : "Use at least " + MIN_PSK_CHARS + " characters: a short pre-shared key can be guessed offline.");
    public final FormField splitRoutes = new FormField(v -> splitTunnel() ? splitRoutes(v) : null);
    private final BooleanProperty fullTunnel = new SimpleBooleanProperty(this, "fullTunnel", true);

    public RoadWarriorForm() {
        fullTunnel.addListener((o, was, now) -> splitRoutes.revalidate());
    }

    public BooleanProperty fullTunnelProperty() {
        return fullTunnel;
    }

    private boolean splitTunnel() {
        return !fullTunnel.get();
    }

    public List<FormField> fields() {
        return List.of(gateway, identity, psk, splitRoutes);
    }

    public void clear() {
        fields().forEach(f -> f.reset(""));
        fullTunnel.set(true);
    }

    public boolean validate() {
        boolean ok = true;
        for (FormField f : fields()) {
            ok &= f.revalidate();
        }
        return ok;
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
}
