package io.pathsec.engine.pmtu;

import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTunnel;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.testsupport.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outer DF bit per SA (RFC 4301 §8.1) on the wire: two static-key engines in the lab, pings
 * E1 → E2 with DF set ({@code ping -M do}) and clear ({@code -M dont}); R1 counts G1's ESP-in-UDP
 * packets by their outer DF bit with nftables. copy: as the inner packet; set: always; clear: never.
 */
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OuterDfLabTest {
    private static final String PROPERTY = PmtuSettings.PREFIX + "outerDf";
    private static final int PINGS = 5;

    private LabTopology lab;

    @TempDir
    Path dir;

    @BeforeAll
    void createLab() throws IOException {
        lab = LabTopology.create(LabOptions.defaults());
    }

    @AfterEach
    void clear() throws IOException {
        System.clearProperty(PROPERTY);
        lab.exec(LabNode.R1, "nft", "delete", "table", "ip", "psdf");
    }

    @AfterAll
    void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest
    @EnumSource(OuterDf.class)
    void theOuterDfBitFollowsTheSetting(OuterDf mode) throws Exception {
        System.setProperty(PROPERTY, mode.name().toLowerCase());
        String g1 = lab.outerAddress(LabNode.G1, false).getHostAddress();
        nft("add", "table", "ip", "psdf");
        nft("add", "chain", "ip", "psdf", "counting", "{ type filter hook forward priority 0; }");
        nft("add", "counter", "ip", "psdf", "df");
        nft("add", "counter", "ip", "psdf", "nodf");
        nft("add", "rule", "ip", "psdf", "counting", "ip", "saddr", g1, "udp", "dport", "4500",
                "ip", "frag-off", "&", "0x4000", "!=", "0", "counter", "name", "df");
        nft("add", "rule", "ip", "psdf", "counting", "ip", "saddr", g1, "udp", "dport", "4500",
                "ip", "frag-off", "&", "0x4000", "==", "0", "counter", "name", "nodf");
        try (LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TUNNEL, "aes256gcm16", false, dir)) {
            String e2 = lab.protectedAddress(LabNode.E2, false).getHostAddress();
            long[] before = counts();
            ping("do", e2);
            long[] afterDf = counts();
            ping("dont", e2);
            long[] afterNoDf = counts();
            long dfFromDf = afterDf[0] - before[0];
            long clearFromDf = afterDf[1] - before[1];
            long dfFromClear = afterNoDf[0] - afterDf[0];
            long clearFromClear = afterNoDf[1] - afterDf[1];
            String seen = mode + ": inner DF -> outer DF " + dfFromDf + " / clear " + clearFromDf
                    + "; inner clear -> outer DF " + dfFromClear + " / clear " + clearFromClear;
            System.out.println(seen);
            switch (mode) {
                case SET -> {
                    assertTrue(dfFromDf >= PINGS && dfFromClear >= PINGS, seen);
                    assertEquals(0, clearFromDf + clearFromClear, seen);
                }
                case CLEAR -> {
                    assertTrue(clearFromDf >= PINGS && clearFromClear >= PINGS, seen);
                    assertEquals(0, dfFromDf + dfFromClear, seen);
                }
                case COPY -> {
                    assertTrue(dfFromDf >= PINGS && clearFromClear >= PINGS, seen);
                    assertEquals(0, clearFromDf + dfFromClear, seen);
                }
                default -> throw new IllegalStateException(mode.toString());
            }
        }
    }

    private void ping(String df, String to) throws IOException {
        ProcessResult r = lab.exec(LabNode.E1, Duration.ofSeconds(20), "ping", "-n", "-c", Integer.toString(PINGS),
                "-i", "0.2", "-W", "2", "-s", "500", "-M", df, to);
        assertTrue(r.succeeded(), r.describe());
    }

    private void nft(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "nft";
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessResult r = lab.exec(LabNode.R1, cmd);
        assertTrue(r.succeeded(), r.describe());
    }

    /** {df, nodf} packet counts. */
    private long[] counts() throws IOException {
        return new long[] {count("df"), count("nodf")};
    }

    private long count(String name) throws IOException {
        ProcessResult r = lab.exec(LabNode.R1, "nft", "list", "counter", "ip", "psdf", name);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("packets (\\d+)").matcher(r.stdout());
        assertTrue(m.find(), r.describe());
        return Long.parseLong(m.group(1));
    }
}
