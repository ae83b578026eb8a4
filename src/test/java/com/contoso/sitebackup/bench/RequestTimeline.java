package com.contoso.sitebackup.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each storage request of one job began and ended, from Azurite's debug log (the benchmark's request pass
 * writes one per scenario and tool: {@code target/bench/azurite-<scenario>-<tool>.log}): the job is found by its data,
 * the last {@code count} requests whose method and URL ({@code "PUT bench/..."}) contain {@code match}, and every
 * request from {@code window} ms before the first of
 * them began to {@code window} ms after the last ended is printed, in milliseconds from the first one's start, with
 * its duration, status, method and URL. What a job spends before and after its data, and how the data's requests
 * end one after another, read from the service's side.
 *
 * <p>Usage: {@code RequestTimeline <log> <match> <count> <window ms>}, e.g. {@code
 * target/bench/azurite-backup-large-app.log "PUT bench/" 8 200}.
 */
public final class RequestTimeline {
    private static final Pattern BEGIN = Pattern.compile(
            "^(\\S+) (\\S+) info: BlobStorageContextMiddleware: RequestMethod=(\\S+) RequestURL=(\\S+)");
    private static final Pattern END = Pattern.compile(
            "^(\\S+) (\\S+) info: EndMiddleware: End response\\. TotalTimeInMS=\\d+ StatusCode=(\\d+)");

    private RequestTimeline() {
    }

    /** One request: when it began and ended (epoch ms), its status, method and URL below the account. */
    record Request(long began, long ended, int status, String method, String url) {
    }

    public static void main(String[] args) throws IOException {
        List<Request> requests = read(Path.of(args[0]));
        String match = args[1];
        int count = Integer.parseInt(args[2]);
        long window = Long.parseLong(args[3]);
        List<Request> data = requests.stream()
                .filter(r -> (r.method() + " " + r.url()).contains(match)).toList();
        if (count < 1 || data.size() < count) {
            throw new IllegalArgumentException("the log has " + data.size() + " requests matching '" + match
                    + "', not " + count);
        }
        data = data.subList(data.size() - count, data.size());
        long first = data.stream().mapToLong(Request::began).min().orElseThrow();
        long last = data.stream().mapToLong(Request::ended).max().orElseThrow();
        System.out.println("| began ms | ended ms | took ms | status | request |");
        System.out.println("| ---: | ---: | ---: | ---: | --- |");
        for (Request r : requests) {
            if (r.ended() >= first - window && r.began() <= last + window) {
                System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %s %s |%n", r.began() - first, r.ended() - first,
                        r.ended() - r.began(), r.status(), r.method(), r.url());
            }
        }
    }

    /** The log's requests that have both lines, in the order they began. */
    static List<Request> read(Path log) throws IOException {
        Map<String, String[]> begun = new LinkedHashMap<>();
        Map<String, Request> done = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log)) {
            Matcher begin = BEGIN.matcher(line);
            if (begin.find()) {
                String url = begin.group(4).replaceFirst("^https?://[^/]+/[^/]+/", "");
                begun.put(begin.group(2), new String[] {begin.group(1), begin.group(3), url});
                continue;
            }
            Matcher end = END.matcher(line);
            if (end.find() && begun.containsKey(end.group(2))) {
                String[] b = begun.get(end.group(2));
                done.put(end.group(2), new Request(Instant.parse(b[0]).toEpochMilli(),
                        Instant.parse(end.group(1)).toEpochMilli(), Integer.parseInt(end.group(3)), b[1], b[2]));
            }
        }
        List<Request> requests = new ArrayList<>(done.values());
        requests.sort((a, b) -> Long.compare(a.began(), b.began()));
        return requests;
    }
}
