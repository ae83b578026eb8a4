package com.contoso.sitebackup.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenSSL's MD5 behind {@link Digests#newMd5()}: there on Linux, and the same digests as the JDK's, however fed. */
@Timeout(60)
class NativeMd5Test {
    @Test
    void newMd5_isOpenSslsHere() {
        assertNull(NativeMd5.unavailable(), "libcrypto's MD5 did not load");
        assertInstanceOf(NativeMd5.class, Digests.newMd5());
        assertEquals("MD5", Digests.newMd5().getAlgorithm());
        assertEquals(16, Digests.newMd5().getDigestLength());
    }

    /**
     * Every way of feeding it (arrays at an offset, single bytes, heap and direct buffers at a position), in pieces
     * of random sizes across MD5's 64-byte blocks and the 64 KiB the array path copies at once, gives the JDK's digest;
     * digest() starts it again, as reset() does.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 55, 56, 63, 64, 65, 8191, 65_536, 65_537, 200_003, 3 * 1024 * 1024 + 7})
    void digest_anyFeeding_theJdksDigest(int size) throws Exception {
        SplittableRandom random = new SplittableRandom(size);
        byte[] content = new byte[size];
        random.nextBytes(content);
        byte[] expected = MessageDigest.getInstance("MD5").digest(content);
        MessageDigest md5 = Digests.newMd5();
        for (int pass = 0; pass < 2; pass++) {   // the second pass reuses it after digest()
            md5.update(new byte[] {1, 2, 3});
            md5.reset();
            int at = 0;
            while (at < size) {
                int n = Math.min(size - at, random.nextInt(1, 150_000));
                switch (random.nextInt(4)) {
                    case 0 -> md5.update(content, at, n);
                    case 1 -> {
                        md5.update(content[at]);
                        n = 1;
                    }
                    case 2 -> md5.update(ByteBuffer.wrap(content, at, n));
                    default -> {
                        ByteBuffer direct = ByteBuffer.allocateDirect(n + 5);
                        direct.position(5);
                        direct.put(content, at, n);
                        direct.position(5);
                        md5.update(direct);
                        assertEquals(direct.limit(), direct.position(), "the direct buffer is consumed");
                    }
                }
                at += n;
            }
            assertArrayEquals(expected, md5.digest(), "pass " + pass);
        }
    }
}
