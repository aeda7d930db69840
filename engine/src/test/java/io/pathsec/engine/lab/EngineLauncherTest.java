package io.pathsec.engine.lab;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab's engines start with the engine's JVM options, the same file the launcher script reads. */
class EngineLauncherTest {

    @Test
    void engineProcessesGetTheEngineJvmOptionsBeforeTheMainClass() throws IOException {
        List<String> expected = Files.readAllLines(Path.of("src/main/resources/io/pathsec/engine/engine-jvm.options"))
                .stream().map(String::trim).filter(line -> !line.isEmpty()).toList();
        assertFalse(expected.isEmpty(), "the options file lists at least one option");
        assertEquals(expected, EngineLauncher.engineOptions());

        List<String> cmd = EngineLauncher.javaCommand(EngineLauncherTest.class, "arg");
        int main = cmd.indexOf(EngineLauncherTest.class.getName());
        for (String option : expected) {
            int at = cmd.indexOf(option);
            assertTrue(at > 0 && at < main, option + " before the main class in " + cmd);
        }
        assertEquals("arg", cmd.get(cmd.size() - 1));
    }
}
