package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.FileWalk;
import com.contoso.sitebackup.filter.PathFilter;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TreeWalker;
import com.contoso.sitebackup.testing.Trees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The walk's cost ({@link TreeWalker#FILES}, every entry with its attributes) on the tree {@code BackupScaleTest}
 * uses: {@code files} tiny files in 2,230 folders (10 x 37 x 5 leaves, about 5 files each). Prints each round's
 * wall time and the files and problems seen. The attributes are read through each folder's own descriptor, which
 * is found by a look at {@code /proc/self/fd}, so the cost grows with the descriptors the process holds:
 * {@code extraDescriptors} opens that many more first (a Functions worker holds jars, sockets and logs).
 *
 * <p>Usage: {@code java -cp target/test-classes:target/classes:<test classpath> com.contoso.sitebackup.bench.WalkBench
 * <work dir> [files] [extraDescriptors] [rounds]}
 */
public final class WalkBench {
    private WalkBench() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Files.createDirectories(Path.of(args[0])).toRealPath();
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int extra = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        Path tree = work.resolve("walk-" + files);
        if (!Files.exists(tree)) {
            Trees.files(tree, files, 0, 16, files);
        }
        List<FileChannel> held = new ArrayList<>();
        for (int i = 0; i < extra; i++) {
            held.add(FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ));
        }
        long descriptors;
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            descriptors = list.count();
        }
        SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(work));
        for (int round = 1; round <= rounds; round++) {
            long[] counts = new long[2];
            long start = System.nanoTime();
            try (SecureDirectory root = roots.open("rootDirectory", tree.toString())) {
                TreeWalker.FILES.walk(root, PathFilter.of(List.of(), List.of()), new FileWalk.Visitor() {
                    @Override
                    public void file(FileEntry file) {
                        counts[0]++;
                    }

                    @Override
                    public void problem(FileProblem problem) {
                        counts[1]++;
                    }
                });
            }
            System.out.printf(Locale.ROOT, "round %d: %,d files, %,d problems, %d descriptors open: %.3f s%n", round,
                    counts[0], counts[1], descriptors, (System.nanoTime() - start) / 1e9);
        }
        for (FileChannel channel : held) {
            channel.close();
        }
    }
}
