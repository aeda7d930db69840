package io.pathsec.engine.ike.crypto;

import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.InvalidSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.SecureRandom;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DiffieHellmanTest {
    private static final HexFormat HEX = HexFormat.of();

    private static void assertExchange(DhGroup group, String privI, String pubI, String privR, String pubR, String shared)
            throws InvalidSyntaxException {
        // The private values are fed through the public generate() path, as random octets.
        DiffieHellman i = DiffieHellman.generate(group, new FixedRandom(privI));
        DiffieHellman r = DiffieHellman.generate(group, new FixedRandom(privR));
        assertEquals(pubI, HEX.formatHex(i.publicValue()));
        assertEquals(pubR, HEX.formatHex(r.publicValue()));
        assertEquals(shared, HEX.formatHex(i.sharedSecret(r.publicValue())));
        assertEquals(shared, HEX.formatHex(r.sharedSecret(i.publicValue())));
    }

    /** RFC 5903 §8.1, 256-bit random ECP group. */
    @Test
    void rfc5903Ecp256() throws Exception {
        assertExchange(DhGroup.ECP_256,
                "814264145f2f56f2e96a8e337a1284993faf432a5abce59e867b7291d507a3af",
                "2af502f3be8952f2c9b5a8d4160d09e97165be50bc42ae4a5e8d3b4ba83aeb15eb0faf4ca986c4d38681a0f9872d79d56795bd4bff6e6de3c0f5015ece5efd85",
                "2ce1788ec197e096db95a200cc0ab26a19ce6bccad562b8eee1b593761cf7f41",
                "b120de4aa36492795346e8de6c2c8646ae06aaea279fa775b3ab0715f6ce51b09f1b7eece20d7b5ed8ec685fa3f071d83727027092a8411385c34dde5708b2b6",
                "dd0f5396219d1ea393310412d19a08f1f5811e9dc8ec8eea7f80d21c820c2788");
    }

    /** RFC 5903 §8.2, 384-bit random ECP group. */
    @Test
    void rfc5903Ecp384() throws Exception {
        assertExchange(DhGroup.ECP_384,
                "d27335ea71664af244dd14e9fd1260715dfd8a7965571c48d709ee7a7962a156d706a90cbcb5df2986f05feadb9376f1",
                "793148f1787634d5da4c6d9074417d05e057ab62f82054d10ee6b0403d6279547e6a8ea9d1fd77427d016fe27a8b8c66c6c41294331d23e6f480f4fb4cd40504c947392e94f4c3f06b8f398bb29e42368f7a685923de3b67baced214a1a1d128",
                "52d1791fdb4b70f89c0f00d456c2f7023b6125262c36a7df1f80231121cce3d39be52e00c194a4132c4a6c768bcd94d2",
                "5cd42ab9c41b5347f74b8d4efb708b3d5b36db65915359b44abc17647b6b9999789d72a84865ae2f223f12b5a1abc120e171458feaa939aaa3a8bfac46b404bd8f6d5b348c0fa4d80ceca16356ca933240bde8723415a8ece035b0edf36755de",
                "5ea1fc4af7256d2055981b110575e0a8cae53160137d904c59d926eb1b8456e427aa8a4540884c37de159a58028abc0e");
    }

    /** RFC 7748 §6.1, X25519 Diffie-Hellman. */
    @Test
    void rfc7748X25519() throws Exception {
        assertExchange(DhGroup.CURVE25519,
                "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
                "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
                "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
                "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    }

    /** RFC 8031 Appendix A, Curve25519 in IKEv2. */
    @Test
    void rfc8031Curve25519() throws Exception {
        assertExchange(DhGroup.CURVE25519,
                "751fb4308655b476b6789b7325f9ea8cddd16a58533ff6d9e60009464a5f9d94",
                "48d5ddd4061257ba166fa3f9bbdb74f1a4e81c089384fa77f790709f0dfbc766",
                "0a54645253290d60ddadd0e030bacd9e5501efdc220755a1e978f1b839a05688",
                "0be7c1f5aad87d7e448662673298a443478b859745179eaf564c79c0ef6eee25",
                "c74950607a12327f3204d94b6825bfb068b7f8319a9e3708ed3d43ce8130c950");
    }

    /** MODP-2048 (RFC 3526 §3) with fixed exponents, values from strongSwan's test vectors. */
    @Test
    void modp2048WithFixedExponents() throws Exception {
        ModpDiffieHellman i = new ModpDiffieHellman(HEX.parseHex(
                "af3bfd3862caa11774ce2b74840807c1de5cd6a7619bb3a0c7af39eedaa6eb89e2e9c144b3625b2731879cb58fa3766d"));
        ModpDiffieHellman r = new ModpDiffieHellman(HEX.parseHex(
                "77a48e4772e23e284ce4af81399dcd589beb7cefbcc9d196f06dcfdfc3a88e3b4c1c82befec0e64ba495ccde329936ce"));
        assertEquals("1a27c5a7237ae8fe0a71c0af6494faeccdd4a5031d47a1a6b7162dfcdf03bb17b7bb089bd652a5f31b3661bb114d7c48"
                + "d83d244f46db64870c9c8327f1a830abf531e518dd521a2e94e7061e944209ba5331012b3dff00849eaab58c7c7af152"
                + "65210fbcf0f87b9dd932f8ba4e9a9f91b63294530a1200b88b3a03e1a0c7fd34deec6fad501ede06ce7ec9e291d47b69"
                + "b3a4b61bb08763b6d46bfbdab97bdecea0ff09a872221fb4b6ccca6b5c6faad8eb873b9a2f39b63e62cfadd47607e68e"
                + "2c290583f7268fb43fc00a7dc8810ecdac1a59bd1b477aaf41cb4b24ada3e5f7b8cb986f1ae476afc7677aa62570a1b1"
                + "838dda26be7863ee2f40b5e538a4e181", HEX.formatHex(i.publicValue()));
        String shared = "26f9e8457cf2d7d56dd819c2a867d7c3a90aa2b944e20b8bded3a5bf91aa1ff81a7ea89d524c365f3823510835cd8644"
                + "c4d5dacf893e610d2c1a140616d1c8c1d35f46de2c5faad9aecec6b677acd984098142a8aa0c8542e9ac98b3bc7b577c"
                + "59b8ec53346e1567a90039ac92b224635ab216731b06353925642c330a201ba4b31284a9515860f35e9308f5515a7799"
                + "84fbd9f5ce4177db78d1cb0384b63c739c6d744ad7a700b95a531b29f3b744ed38e69aee67072c45a91cee6b14215e04"
                + "f27c31358c86dce448d60a223bdc554edaa3e4072ef603a0f4619f8db39cec291c860174155d8abf9e1082931df58ed9"
                + "ee9c1215dd2393de02f5c1767f070e28";
        assertEquals(shared, HEX.formatHex(i.sharedSecret(r.publicValue())));
        assertEquals(shared, HEX.formatHex(r.sharedSecret(i.publicValue())));
    }

    @ParameterizedTest
    @EnumSource(value = DhGroup.class, names = {"MODP_2048", "ECP_256", "ECP_384", "CURVE25519"})
    void randomKeysAgree(DhGroup group) throws Exception {
        SecureRandom random = new SecureRandom();
        DiffieHellman a = DiffieHellman.generate(group, random);
        DiffieHellman b = DiffieHellman.generate(group, random);
        assertArrayEquals(a.sharedSecret(b.publicValue()), b.sharedSecret(a.publicValue()));
    }

    @ParameterizedTest
    @EnumSource(value = DhGroup.class, names = {"MODP_2048", "ECP_256", "ECP_384", "CURVE25519"})
    void wrongLengthIsInvalidSyntax(DhGroup group) {
        DiffieHellman a = DiffieHellman.generate(group, new SecureRandom());
        byte[] value = a.publicValue();
        assertThrows(InvalidSyntaxException.class, () -> a.sharedSecret(java.util.Arrays.copyOf(value, value.length - 1)));
    }

    @Test
    void ecpPointOffTheCurveIsRejected() {
        DiffieHellman a = DiffieHellman.generate(DhGroup.ECP_256, new SecureRandom());
        byte[] bad = a.publicValue();
        bad[63] ^= 1; // y no longer matches x
        assertThrows(InvalidSyntaxException.class, () -> a.sharedSecret(bad));
        assertThrows(InvalidSyntaxException.class, () -> a.sharedSecret(new byte[64])); // (0,0) is not on P-256
    }

    /** RFC 8031 §2: small-order points give an all-zero secret, which must be refused. */
    @Test
    void x25519AllZeroSharedSecretIsRejected() {
        DiffieHellman a = DiffieHellman.generate(DhGroup.CURVE25519, new SecureRandom());
        assertThrows(InvalidSyntaxException.class, () -> a.sharedSecret(new byte[32]));
        byte[] one = new byte[32];
        one[0] = 1;
        assertThrows(InvalidSyntaxException.class, () -> a.sharedSecret(one));
    }

    @Test
    void modpDegenerateValuesAreRejected() {
        DiffieHellman a = DiffieHellman.generate(DhGroup.MODP_2048, new SecureRandom());
        byte[] one = new byte[256];
        one[255] = 1;
        assertThrows(InvalidSyntaxException.class, () -> a.sharedSecret(one));
        assertThrows(InvalidSyntaxException.class, () -> a.sharedSecret(new byte[256]));
    }
}
