package com.contoso.sitebackup.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Gives every timed section the same start: {@code mib} MiB of free memory touched just before it. On a virtual
 * machine that hands memory freed by the guest back to its host a few seconds later (this one does: Linux's free
 * page reporting), the first write to such memory costs the writer about 7 ms of system time per MiB (a 256 MiB
 * {@code dd} into the page cache: 1.7-1.8 s of system time on returned memory, 0.06 s on memory freed a second
 * before). Which tool of a round paid that depended on what ran in the seconds before its clock started (a warm-up
 * that wrote, a folder deleted after the previous tool), not on the tool. So each timed run starts right after the
 * same amount of memory was written and freed: a scratch file of {@code mib} MiB, written through the page cache
 * and deleted, untimed. The Java runs do it themselves just before their clocks start ({@value #SETTING}); the
 * benchmark does it before it starts any other tool.
 */
final class TouchedMemory {
    /** The environment variable that tells a Java run how many MiB to touch before its clock starts (0: none). */
    static final String SETTING = "BENCH_TOUCH_MIB";

    private TouchedMemory() {
    }

    /** Touches the MiB the environment's {@value #SETTING} names, if any. */
    static void asSet() throws IOException {
        touch(Long.parseLong(System.getenv().getOrDefault(SETTING, "0")));
    }

    /** Writes a scratch file of {@code mib} MiB in the temporary folder and deletes it. */
    static void touch(long mib) throws IOException {
        if (mib <= 0) {
            return;
        }
        Path scratch = Files.createTempFile("touched-memory", ".bin");
        try (FileChannel channel = FileChannel.open(scratch, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
            for (long i = 0; i < mib; i++) {
                block.clear();
                while (block.hasRemaining()) {
                    channel.write(block);
                }
            }
        } finally {
            Files.delete(scratch);
        }
    }
}
