package io.pathsec.engine.lab;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rule text, names, addresses and option checks: no root needed. */
class NftRulesTest {

    @Test
    void blackHoleCountsAndDropsBothIcmpFamiliesInOutputAndForward() {
        String on = NftRules.blackHole(true);
        assertTrue(on.contains("flush chain inet pathsec_lab blackhole_output"));
        assertTrue(on.contains("flush chain inet pathsec_lab blackhole_forward"));
        assertEquals(2, count(on, "icmp code frag-needed counter name \"blackhole_drops\" drop"));
        assertEquals(2, count(on, "icmpv6 type packet-too-big counter name \"blackhole_drops\" drop"));
        String off = NftRules.blackHole(false);
        assertFalse(off.contains("add rule"), off);
    }

    @Test
    void natMasqueradesG1sNetworkWithPortTranslationAndIsRemovedWhenOff() {
        String on = NftRules.nat(true, "to-r2", "198.51.100.0/26");
        assertTrue(on.startsWith("add table ip pathsec_lab_nat\ndelete table ip pathsec_lab_nat\n"), on);
        assertTrue(on.contains("type nat hook postrouting priority srcnat"), on);
        assertTrue(on.contains("oifname \"to-r2\" ip saddr 198.51.100.0/26 meta l4proto { tcp, udp } counter masquerade"
                + " to :20000-29999"), on);
        String off = NftRules.nat(false, "to-r2", "198.51.100.0/26");
        assertFalse(off.contains("masquerade"), off);
        assertFalse(new LabOptions(1500, false, false, null, 0, java.time.Duration.ZERO, false).nat());
        assertTrue(LabOptions.defaults().withNat(true).withPathMtu(1400).nat(), "withers keep the NAT");
    }

    @Test
    void clampOnlyLowersTheMss() {
        assertTrue(NftRules.mssClamp(1200).contains("tcp option maxseg size > 1200 counter tcp option maxseg size set 1200"));
        assertFalse(NftRules.mssClamp(null).contains("add rule"));
    }

    @Test
    void lossResolvesToHundredthsOfAPercent() {
        assertTrue(NftRules.loss(100, "to-r2").contains("oifname \"to-r2\" counter drop"));
        assertTrue(NftRules.loss(99.99, "to-r2").contains("oifname \"to-r2\" numgen random mod 10000 < 9999 counter drop"));
        assertTrue(NftRules.loss(0.25, "to-r2").contains("< 25 "));
        assertFalse(NftRules.loss(0, "to-r2").contains("add rule"));
    }

    @Test
    void fragmentsMatchedOnlyTowardsTheSegment() {
        String on = NftRules.dropFragments(true, "to-r1");
        assertTrue(on.contains("oifname \"to-r1\" ip frag-off & 0x3fff != 0 counter drop"));
        assertTrue(on.contains("oifname \"to-r1\" exthdr frag exists counter drop"));
    }

    @Test
    void tableDeclaresEveryChainTheSettersFlush() {
        String table = NftRules.table();
        for (String chain : new String[] {"blackhole_output", "blackhole_forward", "fragments_forward", "mss_clamp",
                "loss_postrouting"}) {
            assertTrue(table.contains("chain " + chain + " {"), chain);
        }
        assertFalse(table.contains(" ct "), "conntrack would reassemble fragments before the forward hook");
    }

    @Test
    void namesCarryTheOwnerPid() {
        String name = LabNames.namespace(4711, 3, LabNode.R2);
        assertEquals("ps4711-3-r2", name);
        assertEquals(4711, LabNames.ownerPid(name).getAsLong());
        assertTrue(LabNames.ownerPid("ps4711-3-x9").isEmpty());
        assertTrue(LabNames.ownerPid("swc").isEmpty());
        assertTrue(LabNames.ownerPid("ps12-g1").isEmpty());
    }

    @Test
    void routersKnowOnlyTheUnprotectedNetworksByDefault() {
        String r1 = AddressPlan.routeCommands(LabNode.R1, false);
        assertTrue(r1.contains("route add 198.51.100.128/26 via 198.51.100.66"), r1);
        assertTrue(r1.contains("route add 2001:db8:3::/64 via 2001:db8:2::2"), r1);
        assertFalse(r1.contains("192.0.2.0") || r1.contains("203.0.113.0"), r1);
        String raw = AddressPlan.routeCommands(LabNode.R2, true);
        assertTrue(raw.contains("route add 192.0.2.0/24 via 198.51.100.65"), raw);
        assertTrue(raw.contains("route add 2001:db8:b::/64 via 2001:db8:3::2"), raw);
    }

    @Test
    void addressesFollowThePlan() {
        assertEquals("198.51.100.2", AddressPlan.address(LabNode.R1, LabNode.G1, false));
        assertEquals("2001:db8:b::2", AddressPlan.address(LabNode.E2, LabNode.G2, true));
        assertThrows(IllegalArgumentException.class, () -> AddressPlan.address(LabNode.E1, LabNode.R1, false));
        assertTrue(AddressPlan.interfaceCommands(LabNode.G1).contains("addr add 2001:db8:1::1/64 dev to-r1 nodad"));
    }

    @Test
    void optionsRejectValuesTheKernelOrTheLabCannotHonour() {
        LabOptions defaults = LabOptions.defaults();
        assertThrows(IllegalArgumentException.class, () -> defaults.withPathMtu(1279));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMssClamp(100));
        assertThrows(IllegalArgumentException.class, () -> defaults.withLossPercent(101));
        assertThrows(IllegalArgumentException.class, () -> defaults.withLossPercent(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> defaults.withDelay(Duration.ofSeconds(-1)));
        assertEquals(1400, defaults.withPathMtu(1400).pathMtu());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
