package io.pathsec.app;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.DeleteProfileResult;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileList;
import io.pathsec.engine.control.api.ProfileSummary;
import io.pathsec.engine.control.api.PutProfileResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code pathsec profiles list|show|add|edit|import|rm}: the profiles the daemon stores. */
@Command(name = "profiles", mixinStandardHelpOptions = true,
        subcommands = {ProfileImportCommand.class, ProfileEditCommand.class},
        description = "List, show, add and remove the daemon's tunnel profiles. Keys are write-only:"
                + " shown as \"@stored\", and \"@stored\" in a profile you add again keeps them.")
final class ProfilesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the profiles and their tunnels' states.")
    int list(@Mixin ClientOptions options) {
        return DaemonCall.run(spec.subcommands().get("list").getCommandSpec(), options, client -> {
            ProfileList list = client.listProfiles();
            PrintWriter out = spec.commandLine().getOut();
            if (options.json) {
                out.println(ControlCodec.gson().toJson(list));
            } else if (list.profiles().isEmpty()) {
                out.println("no profiles; add one with: pathsec profiles add FILE");
            } else {
                out.printf("%-24s %-12s %s%n", "NAME", "KIND", "STATE");
                for (ProfileSummary p : list.profiles()) {
                    out.printf("%-24s %-12s %s%n", p.name(), kind(p.kind()), p.state().name().toLowerCase());
                }
            }
            return ExitCodes.OK;
        });
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a profile (secrets as \"@stored\").")
    int show(@Mixin ClientOptions options, @Parameters(paramLabel = "NAME") String name) {
        return DaemonCall.run(spec.subcommands().get("show").getCommandSpec(), options, client -> {
            Profile p = client.getProfile(name);
            spec.commandLine().getOut().println(options.json ? ControlCodec.gson().toJson(p)
                    : new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(p));
            return ExitCodes.OK;
        });
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a profile from FILE: a static-key file (docs/static-keys.md) or an IKEv2 PSK"
                    + " document (docs/control-api.md); the kind is told by its fields unless --kind says it.",
                    "Keys given as \"@file:PATH\" are read by this command and sent to the daemon."})
    int add(@Mixin ClientOptions options,
            @Parameters(paramLabel = "FILE") Path file,
            @Option(names = "--name", paramLabel = "NAME", description = "the profile's name (default: the file's \"name\")") String name,
            @Option(names = "--replace", description = "replace a profile of the same name") boolean replace,
            @Option(names = "--kind", paramLabel = "KIND", description = "static-key, ikev2-psk or ikev2-gateway (default: from"
                    + " the file: \"gateway\" means ikev2-psk, \"protectedSubnets\" ikev2-gateway)") String kindName) {
        CommandSpec add = spec.subcommands().get("add").getCommandSpec();
        JsonObject config;
        try {
            config = ProfileFile.read(file);
        } catch (ProfileFile.Unreadable e) {
            spec.commandLine().getErr().println("pathsec profiles add: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        String profileName = name != null ? name
                : config.has("name") && config.get("name").isJsonPrimitive() ? config.get("name").getAsString() : null;
        ProfileKind kind = kindName != null ? ControlCodec.gson().fromJson('"' + kindName + '"', ProfileKind.class)
                : config.has("gateway") ? ProfileKind.IKEV2_PSK
                : config.has("protectedSubnets") ? ProfileKind.IKEV2_GATEWAY : ProfileKind.STATIC_KEY;
        if (kind == null) {
            spec.commandLine().getErr().println("pathsec profiles add: unknown --kind " + kindName
                    + "; known: static-key, ikev2-psk, ikev2-gateway");
            return ExitCodes.USAGE;
        }
        return DaemonCall.run(add, options, client -> {
            PutProfileResult r = client.putProfile(Profile.of(profileName, kind, config), replace);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json) {
                out.println(ControlCodec.gson().toJson(r));
            } else {
                out.println("profile " + r.name() + (r.created() ? " added" : " replaced")
                        + (r.appliesOnNextConnect() ? "; the connected tunnel uses it after: pathsec disconnect "
                        + r.name() + " && pathsec connect " + r.name() : ""));
            }
            r.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
            return ExitCodes.OK;
        });
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Remove a profile and its stored secrets (a connected tunnel is taken down first).")
    int rm(@Mixin ClientOptions options, @Parameters(paramLabel = "NAME") String name) {
        return DaemonCall.run(spec.subcommands().get("rm").getCommandSpec(), options, client -> {
            DeleteProfileResult r = client.deleteProfile(name);
            spec.commandLine().getOut().println(options.json ? ControlCodec.gson().toJson(r)
                    : "profile " + name + " removed" + (r.wasConnected() ? " (its tunnel was taken down)" : ""));
            return ExitCodes.OK;
        });
    }

    private static String kind(ProfileKind kind) {
        return kind == null ? "?" : ControlCodec.gson().toJson(kind).replace("\"", "");
    }
}
