package io.pathsec.engine.testsupport;

import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One lab topology for all tests of a class, built before the first and always torn down after
 * the last: {@code @RegisterExtension static final LabResource LAB = new LabResource(options);}
 * then {@code LAB.topology()} in the tests. Replaces the same @BeforeAll/@AfterAll pair in every
 * lab test.
 */
public final class LabResource implements BeforeAllCallback, AfterAllCallback {
    /** Extra set-up on the new topology (addresses, routes), run before the first test. */
    @FunctionalInterface
    public interface Preparation {
        void prepare(LabTopology lab) throws Exception;
    }

    private final LabOptions options;
    private final Preparation preparation;
    private LabTopology topology;

    public LabResource(LabOptions options) {
        this(options, lab -> { });
    }

    public LabResource(LabOptions options, Preparation preparation) {
        this.options = options;
        this.preparation = preparation;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        topology = LabTopology.create(options);
        preparation.prepare(topology);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (topology != null) {
            topology.close();
            topology = null;
        }
    }

    /** The topology; only between the class's first and last test. */
    public LabTopology topology() {
        if (topology == null) {
            throw new IllegalStateException("the lab exists only while the test class runs");
        }
        return topology;
    }
}
