package io.pathsec.ui.profiles;

import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.ImportProfile;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSummary;
import io.pathsec.engine.control.api.PutProfileResult;
import io.pathsec.ui.daemon.BackgroundWork;
import io.pathsec.ui.daemon.DaemonLink;
import io.pathsec.ui.daemon.UserMessage;
import io.pathsec.ui.daemon.UserWords;
import io.pathsec.ui.state.TunnelStateStore;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The profile list and the editor beside it: loads, creates, edits and deletes profiles through
 * the daemon, and puts the daemon's verdict on a rejected profile next to the field it concerns.
 */
public final class ProfilesViewModel {
    private final DaemonLink daemon;
    private final BackgroundWork work;
    private final TunnelStateStore store;
    private final ObservableList<ProfileSummary> profiles = FXCollections.observableArrayList();
    private final StaticKeyForm staticKey = new StaticKeyForm();
    private final RoadWarriorForm roadWarrior = new RoadWarriorForm();
    private final GatewayForm gateway = new GatewayForm();
    private final ObjectProperty<ProfileKindChoice> kind = new SimpleObjectProperty<>(this, "kind",
            ProfileKindChoice.STATIC_KEY);
    /** The stored profile being edited, or null for a new one. */
    private final ReadOnlyStringWrapper editing = new ReadOnlyStringWrapper(this, "editing");
    /** A problem with the form as a whole (not one field's), in words. */
    private final ReadOnlyStringWrapper formError = new ReadOnlyStringWrapper(this, "formError");
    /** What just happened, for the status line under the form ("Saved office."). */
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyObjectWrapper<UserMessage> problem = new ReadOnlyObjectWrapper<>(this, "problem");

    public ProfilesViewModel(DaemonLink daemon, BackgroundWork work, TunnelStateStore store) {
        this.daemon = daemon;
        this.work = work;
        this.store = store;
        kind.addListener((o, was, now) -> {
            formError.set(null);
            staticKey.hostToHostProperty().set(now == ProfileKindChoice.HOST_TO_HOST);
            roadWarrior.hostToHostProperty().set(now == ProfileKindChoice.IKE_HOST_TO_HOST);
        });
    }

    public ObservableList<ProfileSummary> profiles() {
        return profiles;
    }

    public StaticKeyForm staticKey() {
        return staticKey;
    }

    public RoadWarriorForm roadWarrior() {
        return roadWarrior;
    }

    public GatewayForm gateway() {
        return gateway;
    }

    public ObjectProperty<ProfileKindChoice> kindProperty() {
        return kind;
    }

    public ReadOnlyStringProperty editingProperty() {
        return editing.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty formErrorProperty() {
        return formError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<UserMessage> problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public void refresh() {
        work.run(daemon::profiles, this::showProfiles, e -> problem.set(UserWords.of(e)));
    }

    private void showProfiles(List<ProfileSummary> list) {
        problem.set(null);
        String selected = store.selectedProfileProperty().get();
        profiles.setAll(list);
        store.reset(list);
        if (selected == null && !list.isEmpty()) {
            store.selectedProfileProperty().set(list.get(0).name());
        }
    }

    /** An empty form for a new profile. */
    public void newProfile() {
        editing.set(null);
        formError.set(null);
        notice.set(null);
        staticKey.clear();
        roadWarrior.clear();
        gateway.clear();
    }

    /** Loads a stored profile into the form; its keys stay with the daemon. */
    public void edit(String name) {
        load(name, null);
    }

    /** @param then the notice to show once the profile is in the form */
    private void load(String name, String then) {
        if (name == null) {
            return;
        }
        busy.set(true);
        work.run(() -> daemon.profile(name), p -> {
            busy.set(false);
            editing.set(p.name());
            formError.set(null);
            notice.set(then);
            kind.set(ProfileKindChoice.of(p.kind(), p.config()));
            switch (p.kind()) {
                case IKEV2_PSK -> roadWarrior.load(p.name(), p.config());
                case IKEV2_GATEWAY -> gateway.load(p.name(), p.config());
                case STATIC_KEY -> staticKey.load(p.config());
            }
        }, e -> {
            busy.set(false);
            formError.set(UserWords.of(e).summary());
        });
    }

    /** A new profile that starts as a copy of a stored one, under a free name, without its keys. */
    public void duplicate(String name) {
        if (name == null) {
            return;
        }
        busy.set(true);
        work.run(() -> daemon.profile(name), p -> {
            busy.set(false);
            editing.set(null);
            formError.set(null);
            kind.set(ProfileKindChoice.of(p.kind(), p.config()));
            String copy = freeName(name + "-copy");
            switch (p.kind()) {
                case IKEV2_PSK -> {
                    roadWarrior.load(copy, p.config());
                    roadWarrior.keepsStoredPskProperty().set(false);
                    roadWarrior.psk.reset("");
                }
                case IKEV2_GATEWAY -> {
                    gateway.load(copy, p.config());
                    gateway.keepsStoredPskProperty().set(false);
                    gateway.psk.reset("");
                }
                case STATIC_KEY -> staticKey.loadAsCopy(p.config(), copy);
            }
            notice.set("Copied " + name + ". Enter the keys again: stored keys never leave the PathSec service.");
        }, e -> {
            busy.set(false);
            formError.set(UserWords.of(e).summary());
        });
    }

    private String freeName(String wanted) {
        java.util.Set<String> taken = new java.util.HashSet<>();
        profiles.forEach(p -> taken.add(p.name()));
        String candidate = wanted;
        for (int i = 2; taken.contains(candidate) && i < 1000; i++) {
            candidate = wanted + "-" + i;
        }
        return candidate;
    }

    /** Checks the form, then asks the daemon to store it. */
    public void save() {
        notice.set(null);
        formError.set(null);
        ProfileKindChoice form = kind.get();
        boolean valid = form.ikeClient() ? roadWarrior.validate()
                : form == ProfileKindChoice.GATEWAY ? gateway.validate() : staticKey.validate();
        if (!valid) {
            formError.set("Some fields need attention; see the messages next to them.");
            return;
        }
        String name = form.ikeClient() ? roadWarrior.name.value()
                : form == ProfileKindChoice.GATEWAY ? gateway.name.value() : staticKey.name.value();
        boolean replace = name.equals(editing.get());
        Profile profile = form.ikeClient() ? Profile.of(name, ProfileKind.IKEV2_PSK, roadWarrior.toConfig())
                : form == ProfileKindChoice.GATEWAY ? Profile.of(name, ProfileKind.IKEV2_GATEWAY, gateway.toConfig())
                : Profile.of(name, ProfileKind.STATIC_KEY, staticKey.toConfig());
        busy.set(true);
        work.run(() -> daemon.putProfile(profile, replace), r -> saved(r), this::rejected);
    }

    private void saved(PutProfileResult r) {
        busy.set(false);
        StringBuilder text = new StringBuilder(r.created() ? "Created " : "Saved ").append(r.name()).append('.');
        if (r.appliesOnNextConnect()) {
            text.append(" The connected tunnel keeps the old settings until you reconnect.");
        }
        r.warnings().forEach(w -> text.append(' ').append(w));
        store.selectedProfileProperty().set(r.name());
        refresh();
        load(r.name(), text.toString());
    }

    private void rejected(Throwable e) {
        busy.set(false);
        if (e instanceof ControlException c && c.code() == ErrorCode.INVALID_PROFILE) {
            String field = c.error().field();
            (kind.get().ikeClient() ? roadWarrior.fieldFor(field)
                    : kind.get() == ProfileKindChoice.GATEWAY ? gateway.fieldFor(field)
                    : staticKey.fieldFor(field)).ifPresentOrElse(
                    f -> {
                        f.reject(capitalise(c.getMessage()));
                        formError.set("The PathSec service did not accept the profile; see the marked field.");
                    },
                    () -> formError.set(UserWords.of(e).summary()));
            return;
        }
        formError.set(UserWords.of(e).summary());
    }

    /**
     * Imports a strongSwan Android profile: the file is read here, with the user's permissions,
     * and its text sent to the daemon (which never opens a path a client names). {@code .sswan}
     * files carry no key, so the PSK comes from the user.
     */
    public void importSswan(Path file, String psk) {
        notice.set(null);
        formError.set(null);
        if (psk == null || psk.isEmpty()) {
            formError.set("The import needs the pre-shared key: .sswan files do not carry it.");
            return;
        }
        busy.set(true);
        work.run(() -> daemon.importProfile(new ImportProfile("sswan", readSswan(file), null, psk, false)), r -> {
            busy.set(false);
            StringBuilder text = new StringBuilder("Imported ").append(r.name()).append(" from ")
                    .append(file.getFileName()).append('.');
            r.warnings().forEach(w -> text.append(' ').append(w).append('.'));
            store.selectedProfileProperty().set(r.name());
            refresh();
            load(r.name(), text.toString());
        }, e -> {
            busy.set(false);
            formError.set(e instanceof UncheckedIOException io ? "Cannot read " + file + ": "
                    + io.getCause().getMessage() : "Not imported: " + UserWords.of(e).summary()
                    .replaceFirst("^The profile was not saved: ", ""));
        });
    }

    /** Larger than any real profile; a wrong pick (a video, say) is refused before it is read whole. */
    static final long MAX_SSWAN_BYTES = 256 * 1024;

    private static String readSswan(Path file) {
        try {
            if (Files.size(file) > MAX_SSWAN_BYTES) {
                throw new IOException("larger than " + MAX_SSWAN_BYTES / 1024 + " KiB; not a .sswan profile");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(String name) {
        if (name == null) {
            return;
        }
        busy.set(true);
        work.run(() -> daemon.deleteProfile(name), r -> {
            busy.set(false);
            store.forget(name);
            notice.set("Deleted " + name + (r.wasConnected() ? " (its tunnel was disconnected first)." : "."));
            if (name.equals(editing.get())) {
                newProfile();
                notice.set("Deleted " + name + ".");
            }
            refresh();
        }, e -> {
            busy.set(false);
            formError.set(UserWords.of(e).summary());
        });
    }

    private static String capitalise(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
