package com.contoso.sitebackup.blob;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * MD5 computed by the system's OpenSSL ({@code libcrypto}), as a {@link MessageDigest}: {@link Digests#newMd5()}
 * answers one when the library loads and hashes a known value right, else the JDK's.
 *
 * <p>Why: the Functions host runs the Java worker with {@code -XX:TieredStopAtLevel=1} (C1 only), and the JDK's MD5
 * is fast only where C2 replaces it with its intrinsic; under C1 it runs as plain Java. Every restored file and every
 * file verified by content is hashed, so on large files MD5 was most of a restore's CPU (a profile of
 * {@code bench.RestoreProbe} with 8 files of 32 MiB under C1: 76 % of the samples in {@code MD5.implCompress0}).
 * {@code bench.Md5Probe 256 8192 3} under C1 on this project's 2-core machine: the JDK's 304-325 MB/s, this one
 * 588-595 MB/s (under C2 both run at about 600 MB/s). The benchmark's restore of 8 files of 32 MiB
 * ({@code BENCH_SCENARIOS=restore-large}) went from 1.72 s and 2.67 CPU seconds to 1.38 s and 1.95 in process.
 *
 * <p>The context is OpenSSL's {@code MD5_CTX} in native memory this object owns (freed with it); bytes from a Java
 * array are copied into a buffer of the thread's in native memory first, a direct buffer's are hashed where they are.
 */
public final class NativeMd5 extends MessageDigest {
    /** Bytes of OpenSSL's {@code MD5_CTX} (92), rounded up. */
    private static final int CONTEXT = 128;
    /** Bytes copied from a Java array at once. */
    private static final int CHUNK = 64 * 1024;
    private static final ThreadLocal<Memory> STAGING = ThreadLocal.withInitial(() -> new Memory(CHUNK));
    /** Null when OpenSSL's MD5 loaded and gave the right digest of "abc", else why not (after the fields it uses). */
    private static final String UNAVAILABLE = load();

    private final Memory context = new Memory(CONTEXT);

    private NativeMd5() {
        super("MD5");
        check(MD5_Init(context));
    }

    /** A new one, or null when OpenSSL's MD5 is not available here ({@link #unavailable()} says why). */
    static NativeMd5 create() {
        return UNAVAILABLE == null ? new NativeMd5() : null;
    }

    /** Why OpenSSL's MD5 is not used here, or null when it is. */
    public static String unavailable() {
        return UNAVAILABLE;
    }

    private static String load() {
        StringBuilder why = new StringBuilder("no libcrypto's MD5");
        for (String name : List.of("crypto", "libcrypto.so.3", "libcrypto.so.1.1")) {
            try {
                Native.register(NativeMd5.class, NativeLibrary.getInstance(name));
                NativeMd5 md5 = new NativeMd5();
                md5.update("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String digest = HexFormat.of().formatHex(md5.digest());
                return digest.equals("900150983cd24fb0d6963f7d28e17f72") ? null
                        : "libcrypto's MD5 of \"abc\" came out as " + digest;
            } catch (LinkageError | RuntimeException e) {
                why.append("; ").append(name).append(": ").append(e);
            }
        }
        return why.toString();
    }

    private static native int MD5_Init(Pointer context);

    private static native int MD5_Update(Pointer context, Pointer data, long length);

    private static native int MD5_Final(byte[] digest, Pointer context);

    private static void check(int result) {
        if (result != 1) {
            throw new IllegalStateException("libcrypto's MD5 failed");
        }
    }

    @Override
    protected void engineUpdate(byte input) {
        engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, input.length);
        Memory staging = STAGING.get();
        while (length > 0) {
            int n = Math.min(length, CHUNK);
            staging.write(0, input, offset, n);
            check(MD5_Update(context, staging, n));
            offset += n;
            length -= n;
        }
    }

    @Override
    protected void engineUpdate(ByteBuffer input) {
        if (!input.isDirect()) {
            super.engineUpdate(input);
            return;
        }
        int length = input.remaining();
        if (length > 0) {
            check(MD5_Update(context, Native.getDirectBufferPointer(input).share(input.position()), length));
            input.position(input.limit());
        }
    }

    @Override
    protected byte[] engineDigest() {
        byte[] digest = new byte[16];
        check(MD5_Final(digest, context));
        check(MD5_Init(context));
        return digest;
    }

    @Override
    protected void engineReset() {
        check(MD5_Init(context));
    }

    @Override
    protected int engineGetDigestLength() {
        return 16;
    }
}
