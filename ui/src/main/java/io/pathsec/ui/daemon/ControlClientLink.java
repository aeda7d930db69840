package io.pathsec.ui.daemon;

import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.DeleteProfileResult;
import io.pathsec.engine.control.api.DiagBundle;
import io.pathsec.engine.control.api.ImportProfile;
import io.pathsec.engine.control.api.ImportProfileResult;
import io.pathsec.engine.control.api.EventListener;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.control.api.ProfileSummary;
import io.pathsec.engine.control.api.PutProfileResult;
import io.pathsec.engine.control.api.SaList;
import io.pathsec.engine.control.api.Status;
import io.pathsec.engine.control.api.TunnelInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link DaemonLink} over the control socket. Requests and events use separate connections so
 * that a burst of events never delays an answer, and a slow {@code connect} never delays events.
 */
public final class ControlClientLink implements DaemonLink {
    private final ControlClient requests;
    private final ControlClient events;

    private ControlClientLink(ControlClient requests, ControlClient events) {
        this.requests = requests;
        this.events = events;
    }

    public static ControlClientLink connect(Path socket, String clientName) throws IOException, ControlException {
        ControlClient requests = ControlClient.connect(socket);
        try {
            requests.hello(clientName);
            ControlClient events = ControlClient.connect(socket);
            return new ControlClientLink(requests, events);
        } catch (IOException | ControlException | RuntimeException e) {
            requests.close();
            throw e;
        }
    }

    @Override
    public List<ProfileSummary> profiles() throws IOException, ControlException {
        return requests.listProfiles().profiles();
    }

    @Override
    public Profile profile(String name) throws IOException, ControlException {
        return requests.getProfile(name);
    }

    @Override
    public PutProfileResult putProfile(Profile profile, boolean replace) throws IOException, ControlException {
        return requests.putProfile(profile, replace);
    }

    @Override
    public DeleteProfileResult deleteProfile(String name) throws IOException, ControlException {
        return requests.deleteProfile(name);
    }

    @Override
    public TunnelInfo connect(String name) throws IOException, ControlException {
        return requests.connectTunnel(name);
    }

    @Override
    public TunnelInfo disconnect(String name) throws IOException, ControlException {
        return requests.disconnectTunnel(name);
    }

    @Override
    public Status status() throws IOException, ControlException {
        return requests.status();
    }

    @Override
    public SaList securityAssociations(String name) throws IOException, ControlException {
        return requests.securityAssociations(name);
    }

    @Override
    public ProfileSettings settings(String name) throws IOException, ControlException {
        return requests.settings(name).settings();
    }

    @Override
    public ProfileSettings updateSettings(String name, ProfileSettings update) throws IOException, ControlException {
        return requests.updateSettings(name, update).settings();
    }

    @Override
    public ImportProfileResult importProfile(ImportProfile request) throws IOException, ControlException {
        return requests.importProfile(request);
    }

    @Override
    public DiagBundle diag(String name) throws IOException, ControlException {
        // No extra capture wait: the bundle holds the packets kept so far, and the window stays responsive.
        return requests.diag(name, 0);
    }

    @Override
    public io.pathsec.engine.control.api.GatewayClientList gatewayClients(String name)
            throws IOException, ControlException {
        return requests.gatewayClients(name);
    }

    @Override
    public void subscribe(EventListener listener) throws IOException, ControlException {
        events.subscribe(List.of(), null, listener);
    }

    @Override
    public void close() {
        events.close();
        requests.close();
    }
}
