package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.blob.Digests;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * MD5 throughput, the JDK's against {@link Digests#newMd5()} (OpenSSL's where it loads): {@code MiB} MiB in updates of
 * {@code update} bytes, {@code rounds} times each, alternating; prints MB/s per round and checks both digests agree.
 * Run it with the worker's JIT to see what a worker gets:
 *
 * <pre>java -XX:TieredStopAtLevel=1 -cp target/test-classes:target/classes:$(cat target/bench.classpath) \
 *     com.contoso.sitebackup.bench.Md5Probe 256 8192 3</pre>
 */
public final class Md5Probe {
    private Md5Probe() {
    }

    public static void main(String[] args) throws Exception {
        long bytes = Long.parseLong(args[0]) << 20;
        byte[] update = new byte[Integer.parseInt(args[1])];
        new SplittableRandom(5).nextBytes(update);
        int rounds = Integer.parseInt(args[2]);
        System.out.println("digest in use: " + Digests.newMd5().getClass().getName());
        for (int round = 1; round <= rounds; round++) {
            byte[] jdk = null;
            byte[] used = null;
            for (String which : new String[] {"jdk", "in use"}) {
                MessageDigest md5 = which.equals("jdk") ? MessageDigest.getInstance("MD5") : Digests.newMd5();
                long started = System.nanoTime();
                for (long done = 0; done < bytes; done += update.length) {
                    md5.update(update, 0, update.length);
                }
                byte[] digest = md5.digest();
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(Locale.ROOT, "round %d %-6s %.3f s, %.0f MB/s%n", round, which, seconds,
                        bytes / seconds / 1e6);
                if (which.equals("jdk")) {
                    jdk = digest;
                } else {
                    used = digest;
                }
            }
            if (!Arrays.equals(jdk, used)) {
                throw new IllegalStateException("the two digests differ");
            }
        }
    }
}
