package io.pathsec.engine.esp.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.esp.EspCodec;
import io.pathsec.engine.esp.EspException;
import io.pathsec.engine.esp.EspTransform;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.concurrent.TimeUnit;

/**
 * ESP encrypt and decrypt per transform and payload size, with an anchor in the same run: plain
 * {@code Cipher.doFinal} AES-GCM-256 on a byte[] of the payload size. Report codec results as
 * ratios to the anchor of the same size, never as absolute numbers from another run.
 *
 * <p>Run: {@code java -cp <test classpath> io.pathsec.engine.esp.bench.EspCodecBenchmark [JMH
 * options]}, for example {@code -wi 2 -i 3 -f 1 -w 1s -r 1s -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class EspCodecBenchmark {
    private static final int SPI = 0x01020304;

    @Param({"AES_GCM_16_128", "AES_GCM_16_256", "CHACHA20_POLY1305", "AES_CBC_128_HMAC_SHA2_256_128",
            "AES_CBC_256_HMAC_SHA2_256_128"})
    public String transform;

    @Param({"64", "576", "1400", "8000"})
    public int size;

    @Param({"direct", "heap"})
    public String buffer;

    private EspCodec outbound;
    private EspCodec inbound;
    private ByteBuf work;
    private ByteBuf sealed;
    private int headroom;
    private long seq;
    private final long sealedSeq = 1;

    @Setup(Level.Trial)
    public void setUp() throws EspException {
        EspTransform t = EspTransform.valueOf(transform);
        byte[] keyMaterial = new byte[t.keyMaterialLength()];
        for (int i = 0; i < keyMaterial.length; i++) {
            keyMaterial[i] = (byte) i;
        }
        outbound = EspCodec.outbound(t, keyMaterial, SPI, 0);
        inbound = EspCodec.inbound(t, keyMaterial, SPI);
        headroom = outbound.headroom();
        int capacity = EspCodec.MAX_HEADROOM + size + EspCodec.MAX_TAILROOM;
        work = "direct".equals(buffer) ? Unpooled.directBuffer(capacity, capacity) : Unpooled.buffer(capacity, capacity);
        sealed = Unpooled.buffer(capacity, capacity);
        sealed.writerIndex(headroom).readerIndex(headroom);
        sealed.writeZero(size);
        outbound.encrypt(sealed, 4, sealedSeq);
        seq = 1000;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        work.release();
        sealed.release();
    }

    @Benchmark
    public ByteBuf encrypt() throws EspException {
        work.setIndex(headroom, headroom + size);
        outbound.encrypt(work, 4, seq++);
        return work;
    }

    /** Includes copying the sealed packet back in, since decryption in place consumes it. */
    @Benchmark
    public int decrypt() throws EspException {
        work.setIndex(0, 0);
        work.writeBytes(sealed, sealed.readerIndex(), sealed.readableBytes());
        return inbound.decrypt(work, sealedSeq);
    }

    /**
     * The anchor, in the same run: one JDK AES-GCM-256 encryption of a byte[] of the payload's
     * size, nothing else. A nested class so it is not multiplied by the codec's parameters.
     */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public static class Anchor {
        @Param({"64", "576", "1400", "8000"})
        public int size;

        private Cipher cipher;
        private SecretKeySpec key;
        private byte[] plaintext;
        private byte[] output;
        private final byte[] nonce = new byte[12];
        private long counter;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            key = new SecretKeySpec(new byte[32], "AES");
            plaintext = new byte[size];
            output = new byte[size + 16];
        }

        @Benchmark
        public int jdkAesGcm256() throws Exception {
            long n = ++counter;
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] = (byte) (n >>> (56 - 8 * i));
            }
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            return cipher.doFinal(plaintext, 0, plaintext.length, output, 0);
        }
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.getIncludes().isEmpty()) {
            options = new CommandLineOptions(concat(args, EspCodecBenchmark.class.getName()));
        }
        new Runner(options).run();
    }

    private static String[] concat(String[] args, String include) {
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = include;
        return all;
    }
}
