package com.contoso.sitebackup.durable;

/**
 * The version of the orchestration code: every orchestrator's and activity's input carries the version it was
 * started with ({@code codeVersion}, stamped by the starter and passed down to every child and activity), and
 * every orchestrator checks it first, in every episode. An instance started by other code fails at once with a
 * message that names both versions, instead of replaying its history against actions that may have changed (SDK
 * 1.5.0 does not fail such a replay by itself: a renamed activity would silently get the old one's result).
 *
 * <p>Raise {@link #CURRENT} whenever an orchestrator's sequence of actions, an activity's name or a wire type
 * changes. A deployment then drains the task hub first, or starts on a new one (README, "Deploying a change").
 */
public final class CodeVersion {
    /**
     * This code's version. 3 (issue 26): new wire fields (a plan's derived blob name, a verify's {@code readData},
     * a report's stored-data counts), VerifyBackup's new steps (ListStoredData, CheckStoredData) and snapshot format
     * 2.
     */
    public static final int CURRENT = 3;

    private CodeVersion() {
    }

    /** Null when {@code started} is this code's version; otherwise why an instance of it cannot run here. */
    public static String mismatch(int started) {
        if (started == CURRENT) {
            return null;
        }
        return "this instance was started by code version " + (started == 0 ? "0 (none given)" : started)
                + " and cannot run on code version " + CURRENT + ": finish it on the deployment that started it"
                + " (drain the task hub before deploying) or terminate it and start it again";
    }
}
