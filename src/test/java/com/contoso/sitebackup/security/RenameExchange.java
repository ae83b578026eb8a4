package com.contoso.sitebackup.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * An attacker in another process: swaps two entries with {@code renameat2(..., RENAME_EXCHANGE)} (python3 and
 * ctypes) in a tight loop until stopped, so at every instant one of the two names is the real entry and the
 * other the link, and neither is ever missing. {@link #stop()} stops it and returns how many swaps it made.
 */
final class RenameExchange implements AutoCloseable {
    /** Swaps until its standard input closes (checked every 1,000 swaps), then prints the number of swaps. */
    private static final String LOOP = String.join("\n",
            "import ctypes, select, sys",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "a, b = sys.argv[1].encode(), sys.argv[2].encode()",
            "print('ready', flush=True)",
            "swaps = 0",
            "while swaps % 1000 or not select.select([sys.stdin], [], [], 0)[0]:",
            "    if libc.renameat2(-100, a, -100, b, 2) != 0:",
            "        sys.exit('renameat2: errno %d' % ctypes.get_errno())",
            "    swaps += 1",
            "print(swaps, flush=True)");

    private final Process process;
    private final BufferedReader output;
    private long swaps = -1;

    private RenameExchange(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts swapping {@code a} and {@code b}; returns once the loop runs. */
    static RenameExchange start(Path a, Path b) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder("python3", "-c", LOOP, a.toString(), b.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw e;
            }
            Assumptions.abort("python3 is needed for the rename-exchange attacker: " + e.getMessage());
            throw e;
        }
        RenameExchange exchange = new RenameExchange(process);
        String ready = exchange.output.readLine();
        if (!"ready".equals(ready)) {
            process.destroyForcibly();
            throw new IOException("the exchange loop did not start: " + ready);
        }
        return exchange;
    }

    /** Whether the loop is still running (it exits at once on an error). */
    boolean running() {
        return process.isAlive();
    }

    /** Stops the loop; the number of swaps it made. */
    long stop() throws IOException, InterruptedException {
        if (swaps < 0) {
            process.getOutputStream().close();
            String count = output.readLine();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            swaps = count == null ? 0 : Long.parseLong(count.trim());
        }
        return swaps;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }
}
