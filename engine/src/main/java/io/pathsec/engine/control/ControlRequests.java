package io.pathsec.engine.control;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ControlProtocol;
import io.pathsec.engine.control.api.DeleteProfileResult;
import io.pathsec.engine.control.api.DiagBundle;
import io.pathsec.engine.control.api.DiagCapture;
import io.pathsec.engine.control.api.DiagRequest;
import io.pathsec.engine.control.api.ImportProfile;
import io.pathsec.engine.control.api.ImportProfileResult;
import io.pathsec.engine.diag.OuterPacketRing;
import java.util.ArrayList;
import java.util.List;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.EventType;
import io.pathsec.engine.control.api.GatewayClientList;
import io.pathsec.engine.control.api.Hello;
import io.pathsec.engine.control.api.HelloResult;
import io.pathsec.engine.control.api.Method;
import io.pathsec.engine.control.api.PeerIdentity;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileList;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.control.api.ProfileSettingsResult;
import io.pathsec.engine.control.api.ProfileSummary;
import io.pathsec.engine.control.api.PutProfileResult;
import io.pathsec.engine.control.api.PmtuReport;
import io.pathsec.engine.control.api.SaList;
import io.pathsec.engine.control.api.Status;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves every request except the event subscription (which belongs to the connection):
 * decodes the parameters, asks the profile store and the tunnel registry, and returns the
 * result record. Blocking (a connect waits for the tunnel), so it runs off the I/O thread.
 */
final class ControlRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ControlRequests.class);

    private final ProfileStore profiles;
    private final TunnelRegistry tunnels;
    private final String daemonVersion;
    private final RecentEvents recent;

    ControlRequests(ProfileStore profiles, TunnelRegistry tunnels, String daemonVersion, RecentEvents recent) {
        this.profiles = profiles;
        this.tunnels = tunnels;
        this.daemonVersion = daemonVersion;
        this.recent = recent;
    }

    Object handle(Method method, JsonObject params, PeerIdentity peer) throws ControlFailure {
        return switch (method) {
            case HELLO -> hello(params, peer);
            case PROFILES_LIST -> list();
            case PROFILES_GET -> get(name(params));
            case PROFILES_PUT -> put(params, peer);
            case PROFILES_DELETE -> delete(name(params), peer);
            case CONNECT -> connect(name(params), peer);
            case DISCONNECT -> disconnect(name(params), peer);
            case STATUS -> status();
            case SA -> sa(name(params));
            case PMTU -> pmtu(name(params));
            case PROFILES_IMPORT -> importProfile(params, peer);
            case DIAG -> diag(params, peer);
            case DIAG_CAPTURE -> capture(params, peer);
            case SETTINGS_GET -> new ProfileSettingsResult(name(params), stored(name(params)).settings());
            case SETTINGS_SET -> settings(params, peer);
            case GATEWAY_CLIENTS -> gatewayClients(name(params));
            case SUBSCRIBE, UNSUBSCRIBE -> throw new IllegalStateException(method + " is the connection's");
        };
    }

    private HelloResult hello(JsonObject params, PeerIdentity peer) throws ControlFailure {
        Hello hello = decode(params, Hello.class);
        if (hello.versions() != null && !hello.versions().isEmpty()
                && hello.versions().stream().noneMatch(ControlProtocol.SUPPORTED_VERSIONS::contains)) {
            throw new ControlFailure(ErrorCode.UNSUPPORTED_VERSION, "the client speaks protocol versions "
                    + hello.versions() + "; this daemon speaks " + ControlProtocol.SUPPORTED_VERSIONS);
        }
        LOG.debug("hello from {} (uid {})", hello.client(), peer.uid());
        return new HelloResult(daemonVersion, ControlProtocol.VERSION, ControlProtocol.SUPPORTED_VERSIONS,
                Method.wireNames(), EventType.wireNames(), peer);
    }

    private ProfileList list() {
        return new ProfileList(profiles.list().stream()
                .map(p -> new ProfileSummary(p.name(), p.kind(), tunnels.state(p.name()))).toList());
    }

    private Profile get(String name) throws ControlFailure {
        StoredProfile p = stored(name);
        return new Profile(p.name(), p.kind(), p.config(), p.settings(),
                ProfileKindRules.of(p.kind()).secretPaths(p.config()));
    }

    private PutProfileResult put(JsonObject params, PeerIdentity peer) throws ControlFailure {
        JsonElement json = params.get("profile");
        if (json == null || !json.isJsonObject()) {
            throw new ControlFailure(ErrorCode.BAD_REQUEST, "params.profile must be a profile object");
        }
        JsonObject o = json.getAsJsonObject();
        // Decoded by hand: Gson would turn an unknown kind or setting into a silent null.
        ProfileKind kind = null;
        if (o.has("kind")) {
            kind = ControlCodec.gson().fromJson(o.get("kind"), ProfileKind.class);
            if (kind == null) {
                throw ControlFailure.invalid("kind", "unknown kind " + o.get("kind") + "; known: \"static-key\", \"ikev2-psk\","
                        + " \"ikev2-gateway\"");
            }
        }
        JsonElement config = o.get("config");
        if (config != null && !config.isJsonObject()) {
            throw ControlFailure.invalid("config", "must be an object");
        }
        String name = o.has("name") && o.get("name").isJsonPrimitive() ? o.get("name").getAsString() : null;
        if (name == null && config != null && config.getAsJsonObject().has("name")
                && config.getAsJsonObject().get("name").isJsonPrimitive()) {
            name = config.getAsJsonObject().get("name").getAsString(); // a config file names itself
        }
        ProfileSettings settings = SettingsRules.decode(o.get("settings"), "settings");
        JsonElement r = params.get("replace");
        boolean replace = r != null && r.isJsonPrimitive() && r.getAsJsonPrimitive().isBoolean() && r.getAsBoolean();
        Profile profile = new Profile(name, kind, config == null ? null : config.getAsJsonObject(), settings, null);
        ProfileStore.PutOutcome outcome = profiles.put(profile, replace);
        LOG.info("uid {} {} profile {}", peer.uid(), outcome.created() ? "added" : "replaced", name);
        return new PutProfileResult(name, outcome.created(), outcome.warnings(),
                tunnels.state(name) == TunnelState.CONNECTED);
    }

    private DeleteProfileResult delete(String name, PeerIdentity peer) throws ControlFailure {
        StoredProfile p = stored(name);
        boolean wasConnected = tunnels.state(name) == TunnelState.CONNECTED;
        tunnels.disconnect(name, p.kind());
        profiles.delete(name);
        tunnels.forget(name);
        recent.forget(name);
        LOG.info("uid {} deleted profile {}", peer.uid(), name);
        return new DeleteProfileResult(name, wasConnected);
    }

    private TunnelInfo connect(String name, PeerIdentity peer) throws ControlFailure {
        TunnelProfile profile = profiles.load(name);
        LOG.info("uid {} connects {}", peer.uid(), name);
        return tunnels.connect(profile);
    }

    private TunnelInfo disconnect(String name, PeerIdentity peer) throws ControlFailure {
        StoredProfile p = stored(name);
        LOG.info("uid {} disconnects {}", peer.uid(), name);
        return tunnels.disconnect(name, p.kind());
    }

    private Status status() {
        return new Status(profiles.list().stream().map(p -> tunnels.info(p.name(), p.kind())).toList());
    }

    private SaList sa(String name) throws ControlFailure {
        stored(name);
        RunningTunnel t = tunnels.running(name);
        if (t == null) {
            throw new ControlFailure(ErrorCode.NOT_FOUND, "profile " + name + " is not connected; its SAs exist"
                    + " only while it is (pathsec connect " + name + ")");
        }
        return new SaList(name, t.securityAssociations());
    }

    private PmtuReport pmtu(String name) throws ControlFailure {
        stored(name);
        RunningTunnel t = tunnels.running(name);
        if (t == null) {
            throw new ControlFailure(ErrorCode.NOT_FOUND, "profile " + name + " is not connected; its path MTU"
                    + " state exists only while it is (pathsec connect " + name + ")");
        }
        tunnels.watchPmtu(name, t);
        return PmtuEvents.report(name, t);
    }

    private GatewayClientList gatewayClients(String name) throws ControlFailure {
        StoredProfile p = stored(name);
        if (p.kind() != ProfileKind.IKEV2_GATEWAY) {
            throw new ControlFailure(ErrorCode.BAD_REQUEST, "profile " + name + " is a " + p.kind().name()
                    .toLowerCase().replace('_', '-') + " profile; gateway.clients is for ikev2-gateway profiles");
        }
        RunningTunnel t = tunnels.running(name);
        if (!(t instanceof GatewayTunnel gateway)) {
            throw new ControlFailure(ErrorCode.NOT_FOUND, "gateway " + name + " is not running; it serves clients"
                    + " only while it is (pathsec connect " + name + ")");
        }
        tunnels.watchPmtu(name, t);
        return new GatewayClientList(name, gateway.clients());
    }

    private ProfileSettingsResult settings(JsonObject params, PeerIdentity peer) throws ControlFailure {
        String name = name(params);
        ProfileSettings update = SettingsRules.decode(params.get("settings"), "settings");
        if (update == null) {
            throw new ControlFailure(ErrorCode.BAD_REQUEST, "params.settings is missing");
        }
        ProfileSettings merged = profiles.updateSettings(name, update);
        LOG.info("uid {} changed settings of {}", peer.uid(), name);
        return new ProfileSettingsResult(name, merged);
    }

    private ImportProfileResult importProfile(JsonObject params, PeerIdentity peer) throws ControlFailure {
        ImportProfile request = decode(params, ImportProfile.class);
        if (request.format() != null && !request.format().equals("sswan")) {
            throw new ControlFailure(ErrorCode.BAD_REQUEST, "params.format \"" + request.format()
                    + "\" is not one PathSec imports; known: \"sswan\"");
        }
        if (request.name() != null) {
            ProfileStore.checkName(request.name());
        }
        boolean replacing = request.replace() && request.name() != null && profiles.get(request.name()).isPresent();
        SswanImport.Converted c = SswanImport.convert(request.content(), request.name(), request.psk(), replacing);
        ProfileStore.PutOutcome outcome = profiles.put(new Profile(c.name(), c.kind(), c.config(), null, null),
                request.replace());
        LOG.info("uid {} imported profile {} from a .sswan file", peer.uid(), c.name());
        List<String> warnings = new ArrayList<>(c.warnings());
        warnings.addAll(outcome.warnings());
        return new ImportProfileResult(c.name(), c.kind(), outcome.created(), warnings);
    }

    private DiagCapture capture(JsonObject params, PeerIdentity peer) throws ControlFailure {
        DiagCapture request = decode(params, DiagCapture.class);
        stored(request.name());
        ProfileStore.checkName(request.name());
        int packets = tunnels.capture(request.name(), request.enabled());
        LOG.info("uid {} turned the diagnostics capture of {} {}", peer.uid(), request.name(),
                request.enabled() ? "on" : "off");
        return new DiagCapture(request.name(), request.enabled(), packets);
    }

    /**
     * A bundle of what is known about the tunnel. With no capture running, one is run for
     * {@code captureSeconds} first (a deliberate, bounded wait: the packets must flow meanwhile).
     */
    private DiagBundle diag(JsonObject params, PeerIdentity peer) throws ControlFailure {
        DiagRequest request = decode(params, DiagRequest.class);
        String name = name(params);
        StoredProfile p = stored(name);
        int seconds = request.captureSeconds() == null ? 5 : request.captureSeconds();
        if (seconds < 0 || seconds > DiagBundle.MAX_CAPTURE_SECONDS) {
            throw new ControlFailure(ErrorCode.BAD_REQUEST, "params.captureSeconds must be 0-"
                    + DiagBundle.MAX_CAPTURE_SECONDS + ", got " + seconds);
        }
        OuterPacketRing ring = tunnels.captureRing(name);
        boolean temporary = ring != null && !ring.armed() && seconds > 0 && tunnels.running(name) != null;
        if (temporary) {
            ring.arm(true);
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<OuterPacketRing.Datagram> packets = ring == null ? List.of() : ring.snapshot();
        boolean armed = ring != null && ring.armed();
        if (temporary) {
            ring.arm(false);
        }
        RunningTunnel t = tunnels.running(name);
        DiagBundleWriter.Contents contents = new DiagBundleWriter.Contents(name, tunnels.info(name, p.kind()),
                get(name), t == null ? List.of() : t.securityAssociations(), recent.of(name), packets, armed,
                t == null ? List.of() : t.keyedSecurityAssociations());
        try {
            byte[] zip = DiagBundleWriter.write(contents);
            LOG.info("uid {} took a diagnostics bundle of {} ({} packets, {} with keys)", peer.uid(), name,
                    packets.size(), t == null ? "none" : "SAs");
            String file = "pathsec-diag-" + name + "-" + java.time.LocalDateTime.now()
                    .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".zip";
            return new DiagBundle(name, file, java.util.Base64.getEncoder().encodeToString(zip), packets.size(),
                    t != null && !contents.keyed().isEmpty());
        } catch (java.io.IOException e) {
            throw new ControlFailure(ErrorCode.INTERNAL, "cannot write the bundle: " + e.getMessage());
        }
    }

    private StoredProfile stored(String name) throws ControlFailure {
        return profiles.get(name).orElseThrow(() -> ControlFailure.notFound(name));
    }

    private static String name(JsonObject params) throws ControlFailure {
        JsonElement name = params.get("name");
        if (name == null || !name.isJsonPrimitive()) {
            throw new ControlFailure(ErrorCode.BAD_REQUEST, "params.name (the profile's name) is missing");
        }
        String n = name.getAsString();
        ProfileStore.checkName(n);
        return n;
    }

    static <T> T decode(JsonObject params, Class<T> type) throws ControlFailure {
        try {
            return ControlCodec.gson().fromJson(params, type);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new ControlFailure(ErrorCode.BAD_REQUEST, "params do not fit " + type.getSimpleName() + ": "
                    + e.getMessage());
        }
    }
}
