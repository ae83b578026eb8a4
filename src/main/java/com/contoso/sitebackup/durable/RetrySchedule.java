package com.contoso.sitebackup.durable;

import java.time.Duration;

/**
 * How often and how late a failed activity is tried again. Every fan-out retries in rounds: all inputs of a
 * round that failed wait for one durable timer together, then run again together, so a burst of failures
 * costs one timer per round, not one nested wait per task (which SDK 1.5.0 serialises inside
 * {@code allOf}). The delay before attempt {@code n} is {@link #FIRST_DELAY} doubled {@code n - 2} times,
 * capped at {@link #MAX_DELAY}: 5, 10, 20 and 40 seconds before attempts 2 to 5.
 */
public final class RetrySchedule {
    /** Attempts per input, the first included. */
    public static final int MAX_ATTEMPTS = 5;
    /** The wait before the second attempt. */
    public static final Duration FIRST_DELAY = Duration.ofSeconds(5);
    /** The longest wait between two attempts. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(1);

    private RetrySchedule() {
    }

    /** The wait before attempt {@code attempt} (2 to {@link #MAX_ATTEMPTS}). */
    public static Duration delayBefore(int attempt) {
        if (attempt < 2 || attempt > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempt must be between 2 and " + MAX_ATTEMPTS + ": " + attempt);
        }
        Duration delay = FIRST_DELAY.multipliedBy(1L << (attempt - 2));
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }
}
