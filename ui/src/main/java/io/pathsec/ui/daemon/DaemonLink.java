package io.pathsec.ui.daemon;

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
import java.util.List;

/**
 * The requests the GUI makes of the daemon. The only way view-models reach the engine; a seam so
 * that view-model tests run against a fake without a socket. Calls block: run them in a
 * {@link BackgroundWork}, never on the FX thread.
 */
public interface DaemonLink extends AutoCloseable {
    List<ProfileSummary> profiles() throws IOException, ControlException;

    Profile profile(String name) throws IOException, ControlException;

    PutProfileResult putProfile(Profile profile, boolean replace) throws IOException, ControlException;

    DeleteProfileResult deleteProfile(String name) throws IOException, ControlException;

    TunnelInfo connect(String name) throws IOException, ControlException;

    TunnelInfo disconnect(String name) throws IOException, ControlException;

    Status status() throws IOException, ControlException;

    SaList securityAssociations(String name) throws IOException, ControlException;

    ProfileSettings settings(String name) throws IOException, ControlException;

    ProfileSettings updateSettings(String name, ProfileSettings update) throws IOException, ControlException;

    /** Converts and stores a strongSwan {@code .sswan} profile sent as text (never a path). */
    ImportProfileResult importProfile(ImportProfile request) throws IOException, ControlException;

    /** The daemon's diagnostics bundle of one profile (a zip; it holds keys when the tunnel is up). */
    DiagBundle diag(String name) throws IOException, ControlException;

    /** The road warriors connected to a running gateway profile ({@code gateway.clients}). */
    io.pathsec.engine.control.api.GatewayClientList gatewayClients(String name) throws IOException, ControlException;

    /** Starts the event stream (all types, all profiles); the listener runs on a reader thread. */
    void subscribe(EventListener listener) throws IOException, ControlException;

    @Override
    void close();
}
