package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.testing.SpecialFiles;
import com.contoso.sitebackup.text.Printable;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, item 5: names that forge or reorder a line. A file named with a newline, an ESC sequence or a
 * right-to-left override ({@code g\u202etxt.exe} shows as {@code gexe.txt}) reached messages raw. Every refusal the
 * file-system boundary writes about such names (an exception's file and message, a refused root) holds them escaped
 * ({@link Printable}), so whatever logs or reports it shows the name as stored. (The status and report writers quote
 * the paths they are given with the same function.)
 */
@Timeout(60)
class ForgedNameAttackTest {
    private static final List<String> NAMES = List.of("new\nline [ERROR] forged", "esc\u001b[2J\u001b[31mred",
            "g\u202etxt.exe", "iso\u2066late\u2069", "line\u2028sep", "c1\u0085next");

    @TempDir
    Path tmp;
    private Path root;
    private SecureRoots writeRoots;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        for (String name : NAMES) {
            SpecialFiles.fifo(root.resolve(name));
        }
        writeRoots = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of());
    }

    /** Whether {@code text} holds a control, a line separator or a bidirectional control as it is. */
    private static boolean holdsRaw(String text) {
        return text.chars().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F
                || c == 0x061C);
    }

    private static String text(Throwable e) {
        String file = e instanceof FileSystemException f ? f.getFile() : "";
        return file + " | " + e.getMessage();
    }

    @Test
    void refusals_ofForgedNames_neverHoldThemRaw() throws IOException {
        List<String> messages = new ArrayList<>();
        FileEntry recorded = new FileEntry("x", 0, 0);
        try (SecureDirectory d = writeRoots.openOrCreate("targetDirectory", root.toString())) {
            for (String name : NAMES) {
                Path path = Path.of(name);
                List<Callable<?>> calls = List.of(() -> d.openFile(path), () -> d.openDirectory(path),
                        () -> d.openOrCreateDirectory(path), () -> {
                            d.setAttributes(path, recorded);
                            return null;
                        }, () -> d.readSymbolicLink(path), () -> {
                            d.createSymbolicLink(path, Path.of("t"));
                            return null;
                        }, () -> d.openFileBelow(Path.of(name, "below")));
                for (Callable<?> call : calls) {
                    try {
                        call.call();
                        messages.add("not refused: " + Printable.quote(name));
                    } catch (Exception e) {
                        messages.add(text(e));
                    }
                }
            }
        }
        for (String name : NAMES) {
            try {
                writeRoots.openOrCreate("targetDirectory", root.resolve(name).toString()).close();
            } catch (RuntimeException e) {
                messages.add(text(e));
            }
        }
        long raw = messages.stream().filter(ForgedNameAttackTest::holdsRaw).count();
        System.out.printf("%d names that forge or reorder lines, %d refusals: %d hold a name raw%n", NAMES.size(),
                messages.size(), raw);
        assertEquals(NAMES.size() * 8, messages.size());
        assertTrue(messages.stream().noneMatch(m -> m.startsWith("not refused")), messages.toString());
        assertEquals(List.of(), messages.stream().filter(ForgedNameAttackTest::holdsRaw).map(Printable::quote).toList());
        assertTrue(messages.stream().anyMatch(m -> m.contains("g\\u202Etxt.exe")), messages.toString());
    }
}
