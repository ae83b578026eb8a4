package com.contoso.sitebackup.bench;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.blob.PrefixListing;
import com.contoso.sitebackup.filter.PathFilter;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.fs.FileWalk;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.fs.TreeWalker;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessResult;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.Trees;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Where an unchanged re-run of the small tree (2,000 files of 1-16 KiB) spends its time, in process: the whole job
 * through the harness (after a first backup and a warm-up re-run), each storage request it sends with its latency,
 * and the walk and the listing alone. Usage: {@code RerunProfile <work dir> [files] [rounds]}.
 */
public final class RerunProfile {
    private RerunProfile() {
    }

    /** Records each request with its time in milliseconds. */
    static final class Timing implements com.azure.core.http.policy.HttpPipelinePolicy {
        final List<String> lines = new ArrayList<>();
        long origin = System.nanoTime();

        @Override
        public reactor.core.publisher.Mono<HttpResponse> process(HttpPipelineCallContext context,
                                                                com.azure.core.http.HttpPipelineNextPolicy next) {
            long start = System.nanoTime();
            return next.process().doOnNext(response -> record(context, response, start));
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            long start = System.nanoTime();
            HttpResponse response = next.processSync();
            record(context, response, start);
            return response;
        }

        void record(HttpPipelineCallContext context, HttpResponse response, long start) {
            long end = System.nanoTime();
            synchronized (lines) {
                lines.add(String.format(Locale.ROOT, "  at %7.1f ms took %6.1f ms  %d %s %s",
                        (start - origin) / 1e6, (end - start) / 1e6, response.getStatusCode(),
                        context.getHttpRequest().getHttpMethod(), context.getHttpRequest().getUrl().getPath()
                        + (context.getHttpRequest().getUrl().getQuery() == null ? ""
                                : "?" + context.getHttpRequest().getUrl().getQuery())));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0])).toRealPath();
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        // PROFILE_TREE: an existing tree instead (for example the benchmark's large one); PROFILE_FIRST: every round a
        // first backup, into a container of its own.
        Path tree = System.getenv("PROFILE_TREE") != null ? Path.of(System.getenv("PROFILE_TREE"))
                : work.resolve("small-" + files);
        boolean first = System.getenv("PROFILE_FIRST") != null;
        if (!Files.exists(tree)) {
            Trees.files(tree, files, 1024, 16 * 1024, 41);
        }
        try (Azurite azurite = Azurite.startInMemory()) {
            Timing timing = new Timing();
            BlobServiceClient blobs = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
                    .addPolicy(timing).buildClient();
            for (int round = 0; round <= rounds; round++) {
                BackupRequest request = BackupRequest.of(tree.toString())
                        .withDefaults(first ? "bench" + round : "bench");
                synchronized (timing.lines) {
                    timing.lines.clear();
                    timing.origin = System.nanoTime();
                }
                long start = System.nanoTime();
                long cpu = AppRun.cpuNanos();
                // A harness per run: its virtual time starts when it is made, and a run's id is its start.
                HarnessResult result = BackupApp.harness(blobs, work, 256, DurableHarness.Faults.none())
                        .run(BackupSiteContent.NAME, request);
                System.out.printf(Locale.ROOT, "%s: %.3f s, CPU %.3f s, %s, %d requests%n",
                        round == 0 || first ? "first backup" : "re-run " + round, (System.nanoTime() - start) / 1e9,
                        (AppRun.cpuNanos() - cpu) / 1e9, result.runtimeStatus(), timing.lines.size());
                if (round == rounds) {
                    System.out.println(result.customStatus());
                    timing.lines.forEach(System.out::println);
                }
            }
            SecureRoots roots = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(work));
            for (int round = 0; round < (System.getenv("PROFILE_PARTS") == null ? 0 : 3); round++) {
                long start = System.nanoTime();
                int[] seen = new int[1];
                try (SecureDirectory root = roots.open("rootDirectory", tree.toString())) {
                    TreeWalker.FILES.walk(root, PathFilter.of(List.of(), List.of()), new FileWalk.Visitor() {
                        @Override public void file(FileEntry file) { seen[0]++; }
                        @Override public void link(FileEntry link) { }
                        @Override public void directory(FileEntry directory) { }
                        @Override public void special(FileEntry special) { }
                        @Override public void note(FileProblem note) { }
                        @Override public void problem(FileProblem problem) { }
                    });
                }
                long walked = System.nanoTime();
                int listed = 0;
                for (Iterator<?> it = PrefixListing.withSnapshots(blobs.getBlobContainerClient("bench"),
                        BackupRequest.of(tree.toString()).withDefaults("bench").getBlobPrefix()); it.hasNext(); it.next()) {
                    listed++;
                }
                long end = System.nanoTime();
                System.out.printf(Locale.ROOT, "walk alone %.3f s (%d files); listing with snapshots alone %.3f s (%d)%n",
                        (walked - start) / 1e9, seen[0], (end - walked) / 1e9, listed);
            }
        }
    }
}
