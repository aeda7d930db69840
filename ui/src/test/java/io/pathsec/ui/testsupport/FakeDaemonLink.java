package io.pathsec.ui.testsupport;

import io.pathsec.engine.control.api.ControlError;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.DeleteProfileResult;
import io.pathsec.engine.control.api.DiagBundle;
import io.pathsec.engine.control.api.ImportProfile;
import io.pathsec.engine.control.api.ImportProfileResult;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.EventListener;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.control.api.ProfileSummary;
import io.pathsec.engine.control.api.PutProfileResult;
import io.pathsec.engine.control.api.SaList;
import io.pathsec.engine.control.api.Status;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.ui.daemon.DaemonLink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A daemon in a map, for view-model tests: stores profiles and settings, and fails the next
 * request of a kind when told to.
 */
public final class FakeDaemonLink implements DaemonLink {
    public final Map<String, Profile> profiles = new TreeMap<>();
    public final Map<String, ProfileSettings> settings = new TreeMap<>();
    public final Map<String, TunnelState> states = new TreeMap<>();
    public final List<String> calls = new ArrayList<>();
    /** Thrown by the next put, connect or settings.set, then cleared. */
    public Exception failNext;
    public EventListener listener;
    /** Every import request, as sent. */
    public final List<ImportProfile> imported = new ArrayList<>();
    /** The bytes {@link #diag} answers with. */
    public byte[] diagZip = {'P', 'K', 3, 4};

    private void maybeFail() throws ControlException {
        Exception e = failNext;
        failNext = null;
        if (e instanceof ControlException c) {
            throw c;
        }
        if (e != null) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<ProfileSummary> profiles() {
        calls.add("profiles.list");
        return profiles.values().stream().map(p -> new ProfileSummary(p.name(), ProfileKind.STATIC_KEY,
                states.getOrDefault(p.name(), TunnelState.DISCONNECTED))).toList();
    }

    @Override
    public Profile profile(String name) throws ControlException {
        calls.add("profiles.get " + name);
        Profile p = profiles.get(name);
        if (p == null) {
            throw new ControlException(new ControlError(ErrorCode.NOT_FOUND, "no profile " + name));
        }
        // Secrets are write-only, as in the daemon.
        com.google.gson.JsonObject config = p.config().deepCopy();
        if (config.has("sas")) {
            config.getAsJsonArray("sas").forEach(sa -> sa.getAsJsonObject().addProperty("key",
                    io.pathsec.engine.control.api.ControlProtocol.STORED_SECRET));
        }
        if (config.has("psk")) {
            config.addProperty("psk", io.pathsec.engine.control.api.ControlProtocol.STORED_SECRET);
        }
        return new Profile(p.name(), p.kind(), config, p.settings(), List.of());
    }

    @Override
    public PutProfileResult putProfile(Profile profile, boolean replace) throws ControlException {
        calls.add("profiles.put " + profile.name());
        maybeFail();
        boolean created = !profiles.containsKey(profile.name());
        profiles.put(profile.name(), profile);
        return new PutProfileResult(profile.name(), created, List.of(), false);
    }

    @Override
    public DeleteProfileResult deleteProfile(String name) {
        calls.add("profiles.delete " + name);
        profiles.remove(name);
        return new DeleteProfileResult(name, false);
    }

    @Override
    public TunnelInfo connect(String name) throws ControlException {
        calls.add("connect " + name);
        maybeFail();
        states.put(name, TunnelState.CONNECTED);
        return new TunnelInfo(name, ProfileKind.STATIC_KEY, TunnelState.CONNECTED, "psx0", 0, null, null);
    }

    @Override
    public TunnelInfo disconnect(String name) {
        calls.add("disconnect " + name);
        states.put(name, TunnelState.DISCONNECTED);
        return new TunnelInfo(name, ProfileKind.STATIC_KEY, TunnelState.DISCONNECTED, null, 0, null, null);
    }

    @Override
    public Status status() {
        calls.add("status");
        return new Status(profiles.keySet().stream().map(n -> new TunnelInfo(n, ProfileKind.STATIC_KEY,
                states.getOrDefault(n, TunnelState.DISCONNECTED), null, 0, null, null)).toList());
    }

    @Override
    public SaList securityAssociations(String name) {
        calls.add("sa " + name);
        return new SaList(name, List.of());
    }

    @Override
    public ProfileSettings settings(String name) {
        calls.add("settings.get " + name);
        return settings.getOrDefault(name, ProfileSettings.DEFAULTS);
    }

    @Override
    public ProfileSettings updateSettings(String name, ProfileSettings update) throws ControlException {
        calls.add("settings.set " + name);
        maybeFail();
        ProfileSettings merged = settings.getOrDefault(name, ProfileSettings.DEFAULTS).merge(update);
        settings.put(name, merged);
        return merged;
    }

    @Override
    public ImportProfileResult importProfile(ImportProfile request) throws ControlException {
        calls.add("profiles.import " + request.name());
        maybeFail();
        imported.add(request);
        String name = request.name() == null ? "imported" : request.name();
        profiles.put(name, Profile.of(name, ProfileKind.IKEV2_PSK, new com.google.gson.JsonObject()));
        return new ImportProfileResult(name, ProfileKind.IKEV2_PSK, true, List.of("remote.cert ignored"));
    }

    @Override
    public DiagBundle diag(String name) throws ControlException {
        calls.add("diag " + name);
        maybeFail();
        return new DiagBundle(name, "pathsec-diag-" + name + ".zip",
                java.util.Base64.getEncoder().encodeToString(diagZip), 3, true);
    }

    /** What {@link #gatewayClients} answers, by profile; a profile not here is answered BAD_REQUEST (not a gateway). */
    public final Map<String, List<io.pathsec.engine.control.api.GatewayClientInfo>> gatewayClients = new TreeMap<>();

    @Override
    public io.pathsec.engine.control.api.GatewayClientList gatewayClients(String name) throws ControlException {
        calls.add("gateway.clients " + name);
        maybeFail();
        List<io.pathsec.engine.control.api.GatewayClientInfo> clients = gatewayClients.get(name);
        if (clients == null) {
            throw new ControlException(new ControlError(ErrorCode.BAD_REQUEST, "profile " + name
                    + " is a static-key profile; gateway.clients is for ikev2-gateway profiles", null));
        }
        return new io.pathsec.engine.control.api.GatewayClientList(name, List.copyOf(clients));
    }

    @Override
    public void subscribe(EventListener l) {
        listener = l;
    }

    @Override
    public void close() {
    }
}
