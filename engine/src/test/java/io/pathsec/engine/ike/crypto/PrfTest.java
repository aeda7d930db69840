package io.pathsec.engine.ike.crypto;

import io.pathsec.engine.ike.message.PrfAlgorithm;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PrfTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY_0B = filled(20, 0x0b);
    private static final byte[] HI_THERE = "Hi There".getBytes(StandardCharsets.US_ASCII);

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    /** RFC 4868 §2.7.1, PRF Test Case #1. */
    @Test
    void rfc4868PrfTestCase1() {
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                HEX.formatHex(Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_256).compute(KEY_0B, HI_THERE)));
        assertEquals("afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
                HEX.formatHex(Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_384).compute(KEY_0B, HI_THERE)));
        assertEquals("87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                        + "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
                HEX.formatHex(Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_512).compute(KEY_0B, HI_THERE)));
    }

    /** RFC 4868 §2.7.1, PRF Test Case #3 (key 0xaa x20, data 0xdd x50), split over two inputs. */
    @Test
    void rfc4868PrfTestCase3ConcatenatesInputs() {
        byte[] dd = filled(50, 0xdd);
        assertEquals("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
                HEX.formatHex(Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_256).compute(filled(20, 0xaa),
                        Arrays.copyOf(dd, 7), Arrays.copyOfRange(dd, 7, 50))));
    }

    /** prf+ vectors with HMAC-SHA2-256/384/512 as used by strongSwan's kdf test suite (§2.13). */
    @Test
    void prfPlusVectors() {
        assertPrfPlus(PrfAlgorithm.PRF_HMAC_SHA2_256, KEY_0B, HI_THERE,
                "b9bdc08988b4c2b75aa93e596ac84205fa2ddde1bf7a2572067b00e14b237732830509981ad2f94a8c32a47daa2255b6"
                        + "60c436347ae756a6edc023477d809590e682f61d9c04b06b4ad971a34c8147fa66792ff1434b93c722b32e12f48832eb"
                        + "c15ce2369ce71fe9b7b81e5704c14d0f5280a6ec626e992d7a9f");
        assertPrfPlus(PrfAlgorithm.PRF_HMAC_SHA2_256, HEX.parseHex("37fde90b81d63692620f67367b62092e3efdc6a03509137d731004767ff35010"),
                        HEX.parseHex("ed80dc79912c32a935fb6d1a3feac07847c1858efc932ea4606fd05609624002"),
                "63d018a08f7a29daa7d1f92cb63f45fa39bbaf5e5f1a78139613bb891e3e6bf9d0448f7c74e05b4c1a25c0b61e62c875"
                        + "e852f287e192d4ae536112db5197216400bd5e123470efc15f53161865fe8b19a1416518a157d651ecd2caddab6a9eae"
                        + "6a27a55af088218d5156edaa9789f934d9836ed43edffda553822202ff9f7d4860ca72e0");
        assertPrfPlus(PrfAlgorithm.PRF_HMAC_SHA2_384, HEX.parseHex("54436a9ea95d6ff79b967f4b07f6de976a376e8ea26aa9574709afc60243c9c141da4ca0e158e627a75ea87f6feb07ef"),
                        HEX.parseHex("d672b0bc852829b93509f3b7247063640f9a016d7b22223c85f710daf8b982d8"),
                "10b00a654643b3b985764f86e23ef62431122fcc96de16e338a372bee49391db1f83a7358c080380abbf4af47cdb83b9"
                        + "530343168f7dbc9221260e1546c6b383e2235d2705a727f0b41aebf6a1b4c61cb460660152a17ba74c20d5191ba68417"
                        + "94945270d829587b7f3294639ea7b77149e1d07230ac16e0cd5ab236fa3212bd569ee70f");
        assertPrfPlus(PrfAlgorithm.PRF_HMAC_SHA2_512, HEX.parseHex("daf9bd6f2f912da553867966af386e67909a8df0ca7e84b83b355cb7d7f1026f17d8ea34b5d57fd0d1ba389528fca1e81d1c8ce511b28a2458241143fee30ccc"),
                        HEX.parseHex("df7931db9b429e10b8aa8e4d460423939ba40af9157f47925383c7cd3d1046e6"),
                "919a75deaeccbd393bebc89615f8a215edb7073b2319d86740221eee7a2deb92509044d7e61fcb1bf9676b3881c7ced4"
                        + "9e6bba1549da3113601677a2445d91ac13a597335782dd3a9cf496d9e19b932f27dd35e36f8070d232d0a3b3f4c4a0b4"
                        + "ba4470778dc090f31f52ab1b6d81e4c7dfb35063ad96c327adcdbde714cc9a6b5ef049b8");
    }

    private static void assertPrfPlus(PrfAlgorithm alg, byte[] key, byte[] seed, String expected) {
        assertEquals(expected, HEX.formatHex(Prf.of(alg).prfPlus(key, seed, expected.length() / 2)));
    }

    @Test
    void prfPlusFirstBlockIsPrfOfSeedAndOne() {
        Prf prf = Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_256);
        assertArrayEquals(prf.compute(KEY_0B, HI_THERE, new byte[] {1}), prf.prfPlus(KEY_0B, HI_THERE, 32));
    }
}
