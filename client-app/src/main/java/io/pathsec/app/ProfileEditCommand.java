package io.pathsec.app;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.PutProfileResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code pathsec profiles edit NAME}: the profile's config in $EDITOR (secrets as "@stored",
 * which keeps them), validated by the daemon when saved; or {@code --set key=value} for scripts.
 */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = {"Edit a profile's config in $VISUAL or $EDITOR, or change fields with --set.",
                "Secrets show as \"@stored\"; leave them so to keep them. The daemon validates before storing."})
final class ProfileEditCommand implements Callable<Integer> {
    /** How often an invalid edit is offered back to the editor before giving up. */
    private static final int EDIT_ROUNDS = 3;

    @Mixin
    ClientOptions options;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "set a config field (dotted path, e.g. mtu=1380 or tun.mtu=1380); VALUE is JSON when it"
                    + " parses as JSON, else text; repeatable; no editor is opened")
    List<String> assignments = new ArrayList<>();

    @Option(names = "--editor", paramLabel = "COMMAND", hidden = true,
            defaultValue = "${env:VISUAL:-${env:EDITOR:-vi}}", description = "the editor (default: $VISUAL, $EDITOR, vi)")
    String editor;

    @Override
    public Integer call() {
        return DaemonCall.run(spec, options, client -> {
            Profile current = client.getProfile(name);
            if (!assignments.isEmpty()) {
                JsonObject config = current.config().deepCopy();
                for (String a : assignments) {
                    int eq = a.indexOf('=');
                    if (eq <= 0) {
                        spec.commandLine().getErr().println("pathsec profiles edit: --set needs KEY=VALUE, got " + a);
                        return ExitCodes.USAGE;
                    }
                    set(config, a.substring(0, eq).trim(), a.substring(eq + 1));
                }
                return put(client, current, config);
            }
            return editInteractively(client, current);
        });
    }

    private int editInteractively(ControlClient client, Profile current)
            throws IOException, ControlException, InterruptedException {
        Path dir = Files.createTempDirectory("pathsec-edit-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve(name + ".json");
        try {
            String original = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                    .toJson(current.config()) + "\n";
            Files.writeString(file, original, StandardCharsets.UTF_8);
            for (int round = 1; round <= EDIT_ROUNDS; round++) {
                int exit = runEditor(file);
                if (exit != 0) {
                    spec.commandLine().getErr().println("pathsec profiles edit: the editor exited with " + exit
                            + "; nothing changed");
                    return ExitCodes.FAILURE;
                }
                String edited = Files.readString(file, StandardCharsets.UTF_8);
                if (edited.equals(original)) {
                    spec.commandLine().getOut().println("profile " + name + ": no changes");
                    return ExitCodes.OK;
                }
                try {
                    JsonElement json = JsonParser.parseString(edited);
                    if (!json.isJsonObject()) {
                        throw new JsonParseException("not a JSON object");
                    }
                    return put(client, current, json.getAsJsonObject());
                } catch (JsonParseException e) {
                    spec.commandLine().getErr().println("not valid JSON: " + e.getMessage());
                } catch (ControlException e) {
                    if (e.code() != ErrorCode.INVALID_PROFILE) {
                        throw e;
                    }
                    spec.commandLine().getErr().println("invalid: " + e.getMessage());
                }
                if (round < EDIT_ROUNDS) {
                    spec.commandLine().getErr().println("opening the editor again to fix it (round " + (round + 1)
                            + " of " + EDIT_ROUNDS + ")");
                }
            }
            spec.commandLine().getErr().println("pathsec profiles edit: gave up; profile " + name + " is unchanged");
            return ExitCodes.CONFIG;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private int runEditor(Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(editor.trim().split("\\s+")));
        command.add(file.toString());
        Process p = new ProcessBuilder(command).inheritIO().start();
        // The user edits for as long as they like; a day is the bound of a forgotten terminal.
        if (!p.waitFor(24, TimeUnit.HOURS)) {
            p.destroy();
            return -1;
        }
        return p.exitValue();
    }

    private int put(ControlClient client, Profile current, JsonObject config) throws IOException, ControlException {
        PutProfileResult r = client.putProfile(new Profile(name, current.kind(), config, null, null), true);
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            out.println(ControlCodec.gson().toJson(r));
        } else {
            out.println("profile " + name + " saved" + (r.appliesOnNextConnect()
                    ? "; the connected tunnel uses it after: pathsec disconnect " + name + " && pathsec connect " + name
                    : ""));
        }
        r.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
        return ExitCodes.OK;
    }

    /** Sets {@code path} (dots between object keys) to {@code value}, creating objects on the way. */
    static void set(JsonObject config, String path, String value) {
        String[] keys = path.split("\\.");
        JsonObject o = config;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonElement next = o.get(keys[i]);
            if (next == null || !next.isJsonObject()) {
                next = new JsonObject();
                o.add(keys[i], next);
            }
            o = next.getAsJsonObject();
        }
        o.add(keys[keys.length - 1], parseValue(value));
    }

    private static JsonElement parseValue(String value) {
        try {
            JsonElement e = JsonParser.parseString(value);
            if (!e.isJsonNull() && !(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()
                    && !value.trim().startsWith("\""))) {
                return e;
            }
        } catch (JsonParseException e) {
            // plain text
        }
        return new JsonPrimitive(value);
    }
}
