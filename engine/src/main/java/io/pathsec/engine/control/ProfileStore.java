package io.pathsec.engine.control;

import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Profiles on disk, in the daemon's state directory:
 * <pre>
 *   profiles/NAME.json   the public document (secrets replaced by "@stored"), mode 0640
 *   secrets/NAME.json    the secrets by id, mode 0600 in a 0700 directory
 * </pre>
 * Every write goes to a temporary file with its final mode from the start, then is renamed, so
 * a crash never leaves a half-written profile or a secret readable for a moment.
 */
final class ProfileStore {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileStore.class);
    /** Also a file name: no '/', no leading '.', at most 63 characters. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final String PUBLIC_MODE = "rw-r-----";
    private static final String SECRET_MODE = "rw-------";

    private final Path profiles;
    private final Path secrets;

    private ProfileStore(Path profiles, Path secrets) {
        this.profiles = profiles;
        this.secrets = secrets;
    }

    static ProfileStore open(Path stateDir) throws IOException {
        Path profiles = directory(stateDir.resolve("profiles"), "rwxr-x---");
        Path secrets = directory(stateDir.resolve("secrets"), "rwx------");
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(secrets, ".*")) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p); // scratch and temporary files of a daemon that was killed
            }
        }
        return new ProfileStore(profiles, secrets);
    }

    private static Path directory(Path dir, String mode) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    static void checkName(String name) throws ControlFailure {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ControlFailure(ErrorCode.BAD_REQUEST, "a profile name is 1-63 letters, digits, '.', '_' or"
                    + " '-', starting with a letter or digit; got " + (name == null ? "none" : "\"" + name + "\""));
        }
    }

    synchronized List<StoredProfile> list() {
        List<StoredProfile> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(profiles, "*.json")) {
            for (Path f : files) {
                String name = f.getFileName().toString().replaceFirst("\\.json$", "");
                read(name).ifPresent(all::add);
            }
        } catch (IOException e) {
            LOG.warn("cannot list profiles in {}: {}", profiles, e.getMessage());
        }
        all.sort(Comparator.comparing(StoredProfile::name));
        return all;
    }

    synchronized Optional<StoredProfile> get(String name) throws ControlFailure {
        checkName(name);
        return read(name);
    }

    /** The outcome of a put: whether the profile is new, and what the user should hear. */
    record PutOutcome(boolean created, List<String> warnings) {
    }

    synchronized PutOutcome put(Profile profile, boolean replace) throws ControlFailure {
        if (profile == null) {
            throw new ControlFailure(ErrorCode.BAD_REQUEST, "params.profile is missing");
        }
        checkName(profile.name());
        if (profile.kind() == null) {
            throw ControlFailure.invalid("kind", "missing or unknown; known kinds: static-key, ikev2-psk");
        }
        if (profile.config() == null) {
            throw ControlFailure.invalid("config", "missing; for a static-key profile it is the static-key document,"
                    + " for ikev2-psk the IKEv2 document of docs/control-api.md");
        }
        Optional<StoredProfile> existing = read(profile.name());
        if (existing.isPresent() && !replace) {
            throw new ControlFailure(ErrorCode.ALREADY_EXISTS, "a profile named " + profile.name()
                    + " exists; replace it explicitly (pathsec profiles add --replace)");
        }
        ProfileSettings settings = existing.map(StoredProfile::settings).orElse(ProfileSettings.DEFAULTS)
                .merge(profile.settings());
        SettingsRules.check(settings);
        Map<String, String> stored = existing.isPresent() && existing.get().kind() == profile.kind()
                ? readSecrets(profile.name()) : Map.of();
        ValidatedProfile valid = ProfileKindRules.of(profile.kind())
                .validate(profile.name(), profile.config(), settings, stored, secrets);
        writeSecrets(profile.name(), valid.secrets());
        write(profiles.resolve(profile.name() + ".json"), ControlCodec.gson().toJson(
                new StoredProfile(profile.name(), profile.kind(), valid.publicConfig(), settings)), PUBLIC_MODE);
        LOG.debug("profile {} {} ({} secrets stored apart)", profile.name(), existing.isPresent() ? "replaced" : "added",
                valid.secrets().size());
        return new PutOutcome(existing.isEmpty(), valid.warnings());
    }

    synchronized boolean delete(String name) throws ControlFailure {
        checkName(name);
        try {
            boolean existed = Files.deleteIfExists(profiles.resolve(name + ".json"));
            Files.deleteIfExists(secrets.resolve(name + ".json"));
            if (existed) {
                LOG.info("profile {} deleted", name);
            }
            return existed;
        } catch (IOException e) {
            throw new ControlFailure(ErrorCode.INTERNAL, "cannot delete profile " + name + ": " + e.getMessage());
        }
    }

    /** The profile with its secrets, validated again (the files may have been edited by hand). */
    synchronized TunnelProfile load(String name) throws ControlFailure {
        StoredProfile p = get(name).orElseThrow(() -> ControlFailure.notFound(name));
        return ProfileKindRules.of(p.kind()).validate(name, p.config(), p.settings(), readSecrets(name), secrets)
                .profile();
    }

    synchronized ProfileSettings updateSettings(String name, ProfileSettings update) throws ControlFailure {
        StoredProfile p = get(name).orElseThrow(() -> ControlFailure.notFound(name));
        ProfileSettings merged = p.settings().merge(update);
        SettingsRules.check(merged);
        write(profiles.resolve(name + ".json"), ControlCodec.gson().toJson(
                new StoredProfile(name, p.kind(), p.config(), merged)), PUBLIC_MODE);
        LOG.info("profile {}: settings changed to {}", name, merged);
        return merged;
    }

    private Optional<StoredProfile> read(String name) {
        Path file = profiles.resolve(name + ".json");
        try {
            StoredProfile p = ControlCodec.gson().fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    StoredProfile.class);
            if (p == null || p.kind() == null || p.config() == null || !name.equals(p.name())) {
                LOG.warn("ignoring {}: not a profile file of this daemon", file);
                return Optional.empty();
            }
            return Optional.of(new StoredProfile(name, p.kind(), p.config(),
                    ProfileSettings.DEFAULTS.merge(p.settings())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JsonParseException e) {
            LOG.warn("ignoring {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private Map<String, String> readSecrets(String name) throws ControlFailure {
        Path file = secrets.resolve(name + ".json");
        try {
            Map<String, String> map = ControlCodec.gson().fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeToken<Map<String, String>>() { }.getType());
            return map == null ? Map.of() : map;
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | JsonParseException e) {
            // The message of a parse error may quote the file: say nothing about its content.
            throw new ControlFailure(ErrorCode.INTERNAL, "the secrets file of profile " + name + " is unreadable");
        }
    }

    private void writeSecrets(String name, Map<String, String> values) throws ControlFailure {
        write(secrets.resolve(name + ".json"), ControlCodec.gson().toJson(values), SECRET_MODE);
    }

    private void write(Path file, String content, String mode) throws ControlFailure {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // removed at the next start
            }
            throw new ControlFailure(ErrorCode.INTERNAL, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
