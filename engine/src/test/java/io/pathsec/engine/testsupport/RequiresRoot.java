package io.pathsec.engine.testsupport;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Marks a test that needs root (network namespaces, TUN devices, nftables). Without root the
 * test is reported as skipped with the reason, never as passed. CI runs as root.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("netns")
@ExtendWith(RequiresRoot.Condition.class)
public @interface RequiresRoot {

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (!isRoot()) {
                return ConditionEvaluationResult.disabled(
                        "SKIPPED: needs root for network namespaces and /dev/net/tun (CI runs as root)");
            }
            return ConditionEvaluationResult.enabled("running as root");
        }

        static boolean isRoot() {
            return "root".equals(System.getProperty("user.name")) && Files.isWritable(Path.of("/dev/net/tun"));
        }
    }
}
