package io.pathsec.app;

import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ImportProfile;
import io.pathsec.engine.control.api.ImportProfileResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code pathsec profiles import FILE.sswan}: a strongSwan Android profile. The files are read
 * here, with the user's permissions, and sent as text: the daemon never opens a client's path.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import a strongSwan Android profile (.sswan). PathSec imports IKEv2 PSK profiles"
                + " (type \"ikev2-psk\"); certificate and EAP types are refused by name.",
                "A .sswan file carries no key: give the PSK with --psk-file."})
final class ProfileImportCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the .sswan file")
    Path file;

    @Option(names = "--name", paramLabel = "NAME", description = "the profile's name (default: from the file's name)")
    String name;

    @Option(names = "--psk-file", paramLabel = "KEYFILE",
            description = "a file holding the pre-shared key (first line); strongSwan's 0x/0s forms work")
    Path pskFile;

    @Option(names = "--replace", description = "replace a profile of the same name (keeps its PSK without --psk-file)")
    boolean replace;

    @Override
    public Integer call() {
        String content;
        String psk = null;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
            if (pskFile != null) {
                psk = Files.readString(pskFile, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            }
        } catch (NoSuchFileException e) {
            spec.commandLine().getErr().println("pathsec profiles import: " + e.getFile() + ": no such file");
            return ExitCodes.NOT_FOUND;
        } catch (IOException e) {
            spec.commandLine().getErr().println("pathsec profiles import: cannot read: " + e.getMessage());
            return ExitCodes.NOT_FOUND;
        }
        String key = psk;
        return DaemonCall.run(spec, options, client -> {
            ImportProfileResult r = client.importProfile(new ImportProfile("sswan", content, name, key, replace));
            if (options.json) {
                spec.commandLine().getOut().println(ControlCodec.gson().toJson(r));
            } else {
                spec.commandLine().getOut().println("profile " + r.name() + (r.created() ? " imported" : " replaced")
                        + "; connect with: pathsec connect " + r.name());
            }
            r.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
            return ExitCodes.OK;
        });
    }
}
