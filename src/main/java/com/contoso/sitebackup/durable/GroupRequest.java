package com.contoso.sitebackup.durable;

/**
 * The input of a {@link BatchGroup}: batches {@code from} (inclusive) to {@code to} (exclusive) of
 * {@code manifest}, each given to {@code activity}. Bounded when read: at most {@link FanOut#GROUP_BATCHES} batches,
 * so an input sent over Durable's own HTTP API cannot schedule more than one group's work.
 */
public record GroupRequest(int codeVersion, String activity, String manifest, int from, int to) {
    public GroupRequest {
        BatchWork.checkManifest(manifest);
        if (activity == null || !activity.matches("[A-Za-z][A-Za-z0-9]{0,63}")) {
            throw new IllegalArgumentException("activity must be a function name, not '" + activity + "'");
        }
        if (from < 0 || to <= from || to - from > FanOut.GROUP_BATCHES || to > BatchWork.MAX_BATCHES) {
            throw new IllegalArgumentException("a group runs 1 to " + FanOut.GROUP_BATCHES + " batches (0 <= from < to),"
                    + " not " + from + " to " + to);
        }
    }
}
