package com.contoso.sitebackup.standin.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The runner's lines for a person: one progress line per change of the run's custom status (the app updates it as
 * each batch of files ends: files and bytes done of those planned, the rate since the work began, the time left at
 * that rate, the problems so far), and the summary of a finished run.
 */
final class Progress {
    private static final Set<String> WORKING = Set.of("COPYING", "RESTORING", "CHECKING", "PRUNING");

    private final String command;
    private final long startedNanos;
    private long workStartedNanos;
    private boolean workStarted;
    private long workStartBytes;
    private long workStartFiles;
    /** When the previous line was printed, if one was ({@link #looked}), so work that ended within one look has a rate. */
    private long previousNanos;
    private boolean looked;
    private String last = "";

    Progress(String command, long startedNanos) {
        this.command = command;
        this.startedNanos = startedNanos;
    }

    /** The line for {@code status} (the webhook's), or null when it says nothing new. */
    String line(JsonNode status, long nowNanos) {
        JsonNode custom = status.path("customStatus");
        String phase = custom.path("phase").asText("STARTING");
        long filesDone = custom.path("filesDone").asLong();
        long filesPlanned = custom.path("filesPlanned").asLong();
        long bytesDone = custom.path("bytesDone").asLong();
        long bytesPlanned = custom.path("bytesPlanned").asLong();
        long problems = custom.path("problemCount").asLong() + custom.path("failureCount").asLong();
        String key = phase + " " + filesDone + "/" + filesPlanned + " " + bytesDone + " " + problems;
        if (key.equals(last)) {
            return null;
        }
        last = key;
        if ((WORKING.contains(phase) || filesDone > 0) && !workStarted) {
            workStarted = true;
            if (filesDone == 0 && bytesDone == 0) {
                // Nothing done yet: the work counts from this look.
                workStartedNanos = nowNanos;
            } else if (looked) {
                // The work began after the previous (listing) look: all that is done now was done since then.
                workStartedNanos = previousNanos;
            } else {
                // The first look at a run in progress (status): the rate counts from now.
                workStartedNanos = nowNanos;
                workStartBytes = bytesDone;
                workStartFiles = filesDone;
            }
        }
        previousNanos = nowNanos;
        looked = true;
        double working = workStarted ? (nowNanos - workStartedNanos) / 1e9 : 0;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%7.1f s  %s %-9s",
                (nowNanos - startedNanos) / 1e9, command, phase));
        if (filesPlanned > 0 || filesDone > 0) {
            line.append(String.format(Locale.ROOT, "  files %,d/%,d (%d%%)  bytes %s/%s", filesDone, filesPlanned,
                    filesPlanned == 0 ? 100 : filesDone * 100 / filesPlanned, bytes(bytesDone), bytes(bytesPlanned)));
            double byteRate = working > 0.05 ? (bytesDone - workStartBytes) / working : 0;
            double fileRate = working > 0.05 ? (filesDone - workStartFiles) / working : 0;
            if (byteRate > 0 || fileRate > 0) {
                line.append(String.format(Locale.ROOT, "  %s/s %.1f files/s", bytes((long) byteRate), fileRate));
                double eta = bytesPlanned > 0 && byteRate > 0 ? (bytesPlanned - bytesDone) / byteRate
                        : fileRate > 0 ? (filesPlanned - filesDone) / fileRate : -1;
                line.append(eta >= 0 ? String.format(Locale.ROOT, "  ETA %s", duration(eta)) : "  ETA -");
            } else {
                line.append("  ETA -");
            }
        }
        if (problems > 0) {
            line.append("  problems ").append(problems);
        }
        return line.toString();
    }

    /** The summary of a finished run of {@code command}, for a person. */
    static List<String> summary(RunnerCommand command, JsonNode status, double seconds) {
        List<String> lines = new ArrayList<>();
        String runtime = status.path("runtimeStatus").asText();
        JsonNode custom = status.path("customStatus");
        String phase = custom.path("phase").asText(runtime);
        String id = status.path("instanceId").asText();
        String took = String.format(Locale.ROOT, " in %.1f s", seconds);
        if (!runtime.equals("Completed")) {
            lines.add(command.command() + " " + id + " " + runtime + took + ": "
                    + status.path("output").asText(custom.path("message").asText("")));
            return lines;
        }
        long filesDone = custom.path("filesDone").asLong();
        long bytesDone = custom.path("bytesDone").asLong();
        long planned = custom.path("filesPlanned").asLong();
        long bytesPlanned = custom.path("bytesPlanned").asLong();
        long unchanged = custom.path("filesUnchanged").asLong();
        long problems = custom.path("problemCount").asLong();
        long failures = custom.path("failureCount").asLong();
        String snapshot = custom.path("snapshot").asText("");
        switch (command) {
            case BACKUP -> {
                if (phase.equals("DRY_RUN_COMPLETED")) {
                    lines.add("dry run of " + id + took + ": would upload " + files(planned) + " (" + bytes(bytesPlanned)
                            + "); " + files(unchanged) + " (" + bytes(custom.path("bytesUnchanged").asLong())
                            + ") unchanged; " + problems + " problem(s); nothing was written");
                } else {
                    lines.add("backup " + phase + took + ": " + files(filesDone) + " (" + bytes(bytesDone)
                            + ") uploaded, " + files(unchanged) + " unchanged" + (snapshot.isEmpty() ? ""
                            : ", snapshot " + snapshot));
                }
            }
            case RESTORE -> lines.add("restore " + phase + took + ": " + files(filesDone) + " (" + bytes(bytesDone)
                    + ") restored" + (unchanged > 0 ? ", " + files(unchanged) + " already there" : "")
                    + (snapshot.isEmpty() ? "" : " from snapshot " + snapshot));
            case VERIFY -> lines.add("verify " + phase + took + ": " + (problems + failures == 0 ? "no difference"
                    : problems + " difference(s)") + "; " + files(unchanged + filesDone) + " compared"
                    + (snapshot.isEmpty() ? "" : " with snapshot " + snapshot));
            case RETENTION -> {
                JsonNode result = status.path("output").isObject() ? status.path("output") : custom;
                boolean dry = result.path("phase").asText().equals("DRY_RUN_COMPLETED");
                lines.add("retention " + result.path("phase").asText(phase) + took + ": keeps "
                        + result.path("keptCount").asLong() + " snapshot(s), " + (dry ? "would delete " : "deleted ")
                        + result.path("expiredCount").asLong());
                for (JsonNode kept : result.path("kept")) {
                    lines.add("  keep    " + kept.asText());
                }
                for (JsonNode expired : result.path("expired")) {
                    lines.add("  " + (dry ? "would delete " : "deleted ") + expired.asText());
                }
                if (!dry) {
                    lines.add(String.format(Locale.ROOT, "  %,d blob snapshot(s) and %,d blob(s) deleted (%s)",
                            result.path("snapshotsDeleted").asLong(), result.path("blobsDeleted").asLong(),
                            bytes(result.path("snapshotBytesDeleted").asLong()
                                    + result.path("blobBytesDeleted").asLong())));
                }
                if (result.hasNonNull("message")) {
                    lines.add("  " + result.path("message").asText());
                }
            }
            default -> lines.add(command.command() + " " + phase + took);
        }
        if (problems + failures > 0 && command != RunnerCommand.RETENTION) {
            lines.add("  " + problems + " problem(s), " + failures + " failure(s)" + (custom.hasNonNull("message")
                    ? ": " + custom.path("message").asText() : ""));
            for (JsonNode problem : custom.path("problems")) {
                lines.add("  " + problem.path("path").asText() + ": " + problem.path("reason").asText());
            }
        }
        return lines;
    }

    /** A listing of snapshots ({@code GET /snapshots/...}'s body), one line each. */
    static List<String> snapshots(JsonNode body) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-22s %-20s %10s %12s  %s", "ID", "TAKEN", "FILES", "BYTES",
                "INSTANCE"));
        for (JsonNode s : body.path("snapshots")) {
            lines.add(String.format(Locale.ROOT, "%-22s %-20s %,10d %12s  %s", s.path("id").asText(),
                    s.path("completed").asText(s.path("started").asText("")).replaceAll("\\.\\d+Z$", "Z"),
                    s.path("files").asLong(), bytes(s.path("bytes").asLong()), s.path("instanceId").asText("")));
        }
        lines.add(body.path("snapshots").size() + " snapshot(s) of container '" + body.path("container").asText()
                + "', prefix '" + body.path("prefix").asText() + "'");
        return lines;
    }

    private static String files(long count) {
        return String.format(Locale.ROOT, "%,d file%s", count, count == 1 ? "" : "s");
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }
}
