package com.contoso.sitebackup.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One process run under GNU {@code /usr/bin/time}, its output in {@code log}: wall seconds, CPU seconds (user and
 * system) and peak RSS of the process (the largest one, for a process that starts others), and what it printed. The
 * Java runs of the benchmark ({@link AppRun}, {@link SdkUpload}) print their own figures as {@code KEY value} lines,
 * read with {@link #reported}.
 */
record Timed(double seconds, double cpuSeconds, long peakRssKiB, List<String> output, Path log) {
    /**
     * Runs {@code command} with {@code environment} added to this JVM's; fails naming the log unless it exits 0. The
     * file systems are settled first ({@link #settle}), untimed.
     */
    static Timed run(List<String> command, Map<String, String> environment, Path log) throws Exception {
        settle();
        Path timeFile = Files.createTempFile(log.getParent(), "time", ".txt");
        List<String> timedCommand = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %M %U %S", "-o",
                timeFile.toString()));
        timedCommand.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(timedCommand).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("a timed run exited with " + exit + "; see " + log);
        }
        List<String> lines = Files.readAllLines(timeFile);
        Files.delete(timeFile);
        String[] figures = lines.get(lines.size() - 1).trim().split(" ");
        return new Timed(Double.parseDouble(figures[0]), Double.parseDouble(figures[2]) + Double.parseDouble(figures[3]),
                Long.parseLong(figures[1]), Files.readAllLines(log), log);
    }

    /**
     * Writes every dirty page back ({@code sync}), so that a timed run starts with nothing left to write by what ran
     * before it: a restore that flushes its files ({@code syncfs}, as the app's does per batch) would otherwise also
     * pay for the files the previous tool of the round, or its own warm-up, wrote and left in the page cache.
     */
    static void settle() throws IOException, InterruptedException {
        int exit = new ProcessBuilder("sync").inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("sync exited with " + exit);
        }
    }

    /** The figure the process printed after {@code key} (a {@code KEY value} line), or {@code otherwise}. */
    double reported(String key, double otherwise) {
        String prefix = key + " ";
        return output.stream().filter(line -> line.startsWith(prefix))
                .map(line -> Double.parseDouble(line.substring(prefix.length()).strip())).findFirst().orElse(otherwise);
    }

    /** Every line the process printed that starts with {@code key} and a space, without them. */
    List<String> lines(String key) {
        String prefix = key + " ";
        return output.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .toList();
    }
}
